import { fileURLToPath } from "node:url";

import { isHex, size, type Hex } from "viem";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";

import { ActionInputError } from "../actions/errors.js";

/** The owner's key: an environment variable, or the same name in Hardhat's keystore. */
export const OWNER_KEY_VARIABLE = "ALLOWANCE_PRIVATE_KEY";
/** An optional second key that submits permits and signed revocations and pays for them. */
export const RELAYER_KEY_VARIABLE = "ALLOWANCE_RELAYER_PRIVATE_KEY";

const PRIVATE_KEY_BYTES = 32;
const PROJECT_ROOT = fileURLToPath(new URL("../..", import.meta.url));

export type Environment = Readonly<Record<string, string | undefined>>;

export class MissingKeyError extends ActionInputError {
  constructor(variable: string) {
    super(
      `no private key: set ${variable} in the environment or store it with \`npx hardhat keystore set ${variable}\` ` +
        "(keys are never taken from the command line)",
    );
  }
}

export class InvalidKeyError extends ActionInputError {
  constructor(variable: string) {
    super(`${variable} is not a private key: it must be 32 bytes of hex (64 hex digits, 0x optional)`);
  }
}

/**
 * The account of the private key named `variable`: from the environment if set there, else from
 * Hardhat's keystore (the development keystore, then the encrypted one, which asks for its
 * password only if it holds that name). Undefined if neither has it.
 */
export async function accountFrom(variable: string, env: Environment): Promise<PrivateKeyAccount | undefined> {
  const value = env[variable] ?? (await fromKeystore(variable));
  if (value === undefined || value === "") return undefined;
  const key = (value.startsWith("0x") ? value : `0x${value}`) as Hex;
  if (!isHex(key, { strict: true }) || size(key) !== PRIVATE_KEY_BYTES) throw new InvalidKeyError(variable);
  try {
    return privateKeyToAccount(key);
  } catch {
    // Zero, or not below the curve order.
    throw new InvalidKeyError(variable);
  }
}

/** The owner's account, or a MissingKeyError that says where to put the key. */
export async function ownerAccountFrom(env: Environment): Promise<PrivateKeyAccount> {
  const account = await accountFrom(OWNER_KEY_VARIABLE, env);
  if (account === undefined) throw new MissingKeyError(OWNER_KEY_VARIABLE);
  return account;
}

/** Hardhat's own resolution of a configuration variable past the environment: its keystore plugin. */
async function fromKeystore(variable: string): Promise<string | undefined> {
  let modules;
  try {
    modules = await Promise.all([import("hardhat/hre"), import("hardhat/config"), import("@nomicfoundation/hardhat-keystore")]);
  } catch (error) {
    // The keystore is an optional peer: without Hardhat installed, keys come from the environment only.
    if ((error as { code?: string }).code === "ERR_MODULE_NOT_FOUND") return undefined;
    throw error;
  }
  const [{ createHardhatRuntimeEnvironment }, { configVariable }, { default: hardhatKeystore }] = modules;
  const hre = await createHardhatRuntimeEnvironment({ plugins: [hardhatKeystore] }, {}, PROJECT_ROOT);
  // The empty default makes the keystore skip its password prompt when it does not hold the name.
  const value = await hre.hooks.runHandlerChain(
    "configurationVariables",
    "fetchValue",
    [configVariable(variable, { default: "" })],
    async (_context, unresolved) => unresolved.default ?? "",
  );
  return value === "" ? undefined : value;
}
