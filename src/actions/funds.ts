import { formatEther, type Address, type PublicClient } from "viem";

import { ActionInputError } from "./errors.js";
import { formatGas } from "./text.js";

/** An account that cannot pay for the transactions planned for it; nothing was sent. */
export class InsufficientFundsError extends ActionInputError {
  constructor(
    readonly account: Address,
    readonly balance: bigint,
    readonly chainId: number,
    readonly gas: bigint,
    readonly cost: bigint,
    remedy: string,
  ) {
    super(
      `${account} has ${formatEther(balance)} ETH on chain ${chainId}; the plan needs about ${formatGas(gas)} gas ` +
        `(≈ ${formatEther(cost)} ETH at the current fee): ${remedy}`,
    );
  }
}

/** Fails with InsufficientFundsError unless `account` can pay `gas` at the chain's current maximum fee per gas. */
export async function assertCanPay(
  publicClient: PublicClient,
  options: { account: Address; gas: bigint; chainId: number; remedy: string },
): Promise<void> {
  if (options.gas === 0n) return;
  const [balance, feePerGas] = await Promise.all([
    publicClient.getBalance({ address: options.account }),
    publicClient.estimateFeesPerGas().then(
      ({ maxFeePerGas }) => maxFeePerGas,
      () => publicClient.getGasPrice(),
    ),
  ]);
  const cost = options.gas * feePerGas;
  if (balance < cost) throw new InsufficientFundsError(options.account, balance, options.chainId, options.gas, cost, options.remedy);
}
