import { isAddressEqual, zeroAddress, type Address, type PublicClient } from "viem";

import { allowanceRouterAbi } from "../abi/allowanceRouter.js";
import { erc20ReadAbi, nftReadAbi } from "../abi/tokens.js";
import type { RevocationItem } from "../revoke/items.js";

const approvalReadAbi = [...erc20ReadAbi, ...nftReadAbi] as const;

/**
 * Whether the approval `item` of `owner` is gone, read from the chain now: a zero allowance, no
 * approved address, no operator, a router grant of amount zero. A read that reverts counts as
 * live: nothing proves the approval gone.
 */
export async function isRevoked(publicClient: PublicClient, owner: Address, item: RevocationItem): Promise<boolean> {
  try {
    switch (item.kind) {
      case "erc20":
        return (
          (await publicClient.readContract({
            address: item.token,
            abi: approvalReadAbi,
            functionName: "allowance",
            args: [owner, item.spender],
          })) === 0n
        );
      case "erc721": {
        const approved = await publicClient.readContract({
          address: item.token,
          abi: approvalReadAbi,
          functionName: "getApproved",
          args: [item.tokenId],
        });
        return isAddressEqual(approved, zeroAddress);
      }
      case "erc721-operator":
      case "erc1155-operator":
        return !(await publicClient.readContract({
          address: item.token,
          abi: approvalReadAbi,
          functionName: "isApprovedForAll",
          args: [owner, item.operator],
        }));
      case "router": {
        const [amount] = await publicClient.readContract({
          address: item.router,
          abi: allowanceRouterAbi,
          functionName: "allowance",
          args: [owner, item.token, item.spender],
        });
        return amount === 0n;
      }
    }
  } catch {
    return false;
  }
}
