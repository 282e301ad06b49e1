import { useCallback } from "react";
import { useChainId, useConnection, usePublicClient, useWalletClient } from "wagmi";
import type { Address, PublicClient, TransactionReceipt } from "viem";

import type { AnyWalletClient, ApprovalCall, RevocationContext } from "allowance-router";

/** The owner's wallet (the client the SDK's revocation actions take first) and the rest of what they need. */
export type OwnerContext = RevocationContext & { walletClient: AnyWalletClient };

import { DEMO_CONNECTOR_ID } from "../demo-connector.js";

/**
 * The connected wallet as the SDK wants it (viem clients), whether it may act for `owner` (the
 * table's wallet), and a helper to send one call and wait for its receipt.
 */
export function useWallet(owner: Address | undefined) {
  const connection = useConnection();
  const pageChainId = useChainId();
  const publicClient = usePublicClient() as unknown as PublicClient | undefined;
  const { data: walletClient } = useWalletClient();
  const isDemo = connection.connector?.id === DEMO_CONNECTOR_ID;
  const wrongChain = connection.isConnected && connection.chainId !== undefined && connection.chainId !== pageChainId;
  const canAct =
    walletClient !== undefined &&
    publicClient !== undefined &&
    owner !== undefined &&
    connection.address?.toLowerCase() === owner.toLowerCase() &&
    !wrongChain;

  const context: OwnerContext | undefined =
    canAct ? { publicClient: publicClient!, walletClient: walletClient as unknown as AnyWalletClient } : undefined;

  const sendCall = useCallback(
    async (call: ApprovalCall): Promise<TransactionReceipt> => {
      if (context === undefined) throw new Error("connect the owner's wallet first");
      const hash = await context.walletClient.sendTransaction({
        account: context.walletClient.account,
        chain: context.walletClient.chain,
        to: call.to,
        data: call.data,
      });
      const receipt = await context.publicClient.waitForTransactionReceipt({ hash });
      if (receipt.status !== "success") throw new Error(`the transaction ${hash} reverted: ${call.description}`);
      return receipt;
    },
    [context?.walletClient, context?.publicClient],
  );

  return { connection, isDemo, wrongChain, pageChainId, canAct, context, sendCall };
}
