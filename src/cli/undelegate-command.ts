import { Readable } from "node:stream";

import { Command, Option } from "commander";
import { isAddressEqual } from "viem";

import { BATCH_REVOKER_ADDRESS } from "../router/deployments.js";
import { ActionInputError } from "../actions/errors.js";
import { formatGas } from "../actions/text.js";
import { getDelegation } from "viem/actions";

import { undelegate } from "../revoke/delegation.js";
import { parseAddress } from "../router/validate.js";
import { connect } from "./chain.js";
import { required, withExamples } from "./help.js";
import { CommandExit, type ActionIo } from "./io.js";
import { OWNER_KEY_VARIABLE, ownerAccountFrom } from "../node/keys.js";
import { positiveInteger } from "./options.js";
import { confirm } from "./prompt.js";

/** Exit code when the owner declines. */
const EXIT_NOT_DONE = 1;

interface UndelegateCommandOptions {
  rpc: string;
  chain?: number;
  yes?: boolean;
}

/**
 * `allowance undelegate <owner> --rpc <url>`: removes the EOA's EIP-7702 delegation (to
 * BatchRevoker, after `allowance revoke --via 7702`) with an authorization to address 0.
 */
export function undelegateCommand(io: ActionIo): Command {
  const command = new Command("undelegate")
    .description(
      "Remove a wallet's EIP-7702 delegation (for example to BatchRevoker, left by revoke --via 7702): one type-4 " +
        "transaction of the owner carrying an authorization to address 0, after which the account has no code again. " +
        `The owner's key comes from ${OWNER_KEY_VARIABLE} or Hardhat's keystore, never from the command line.`,
    )
    .argument("<owner>", "the delegated wallet (0x...); the key must be its own")
    .addOption(required(new Option("--rpc <url>", "JSON-RPC endpoint of the chain").env("ALLOWANCE_RPC_URL")))
    .option("--chain <id>", "fail unless the RPC serves this chain id", positiveInteger)
    .option("-y, --yes", "send without asking")
    .action(async (ownerText: string, options: UndelegateCommandOptions) => {
      const owner = parseAddress("owner", ownerText);
      const account = await ownerAccountFrom(io.env ?? process.env);
      if (!isAddressEqual(account.address, owner)) {
        throw new ActionInputError(`${OWNER_KEY_VARIABLE} holds the key of ${account.address}, not of ${owner}: set it to the owner's key`);
      }
      const connection = await connect(options.rpc, options.chain);
      const delegate = await getDelegation(connection.publicClient, { address: owner });
      if (delegate === undefined) {
        io.stdout.write(`Nothing to do: ${owner} is not delegated on chain ${connection.chainId}.\n`);
        return;
      }
      const what = isAddressEqual(delegate, BATCH_REVOKER_ADDRESS) ? `BatchRevoker ${delegate}` : `${delegate} (not BatchRevoker: a smart account would stop working)`;
      const question = `Remove the delegation of ${owner} to ${what}?`;
      if (!options.yes && !(await confirm(question, io.stdin ?? Readable.from([]), io.stderr))) {
        throw new CommandExit(EXIT_NOT_DONE, "Nothing sent.");
      }
      const hash = await undelegate(connection.walletFor(account), { publicClient: connection.publicClient });
      const receipt = await connection.publicClient.getTransactionReceipt({ hash });
      const left = await getDelegation(connection.publicClient, { address: owner });
      if (left !== undefined) throw new Error(`transaction ${hash} was mined, but ${owner} is still delegated to ${left}`);
      io.stdout.write(`Undelegated ${owner} from ${delegate}: transaction ${hash}, ${formatGas(receipt.gasUsed)} gas. It has no code now.\n`);
    });
  return withExamples(command, [
    ["remove the delegation revoke --via 7702 left, after a confirmation", "npx allowance undelegate 0x3258bCC93bc187369D82fbF07ea511f69E856f61 --rpc http://127.0.0.1:8547"],
    ["the same without asking, on a chain checked to be mainnet", "npx allowance undelegate 0x3258bCC93bc187369D82fbF07ea511f69E856f61 --rpc $ALLOWANCE_RPC_URL --chain 1 --yes"],
  ]);
}
