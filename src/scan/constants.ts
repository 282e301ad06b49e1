import type { Address, Hex } from "viem";

/** Uniswap Permit2: the same address on every chain (deployed with a deterministic CREATE2 salt). */
export const PERMIT2_ADDRESS: Address = "0x000000000022D473030F116dDEE9F6B43aC78BA3";

/** Multicall3's canonical address; chains without it get a deployless multicall instead. */
export const MULTICALL3_ADDRESS: Address = "0xcA11bde05977b3631167028862bE2a173976CA11";

/** ERC-165 interface ids that tell an ApprovalForAll emitter's standard apart. */
export const ERC721_INTERFACE_ID: Hex = "0x80ac58cd";
export const ERC1155_INTERFACE_ID: Hex = "0xd9b67a26";

/** bytes32(uint256(keccak256("eip1967.proxy.implementation")) - 1) */
export const EIP1967_IMPLEMENTATION_SLOT: Hex = "0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc";
/** bytes32(uint256(keccak256("eip1967.proxy.beacon")) - 1) */
export const EIP1967_BEACON_SLOT: Hex = "0xa3f0ad74e5423aebfd80d3ef4346578335a9a72aeaee59ff6cb3582b35133d50";
/** keccak256("PROXIABLE"): where EIP-1822 (UUPS) proxies keep their logic address. */
export const EIP1822_PROXIABLE_SLOT: Hex = "0xc5f16f0fcc639fa48a6947836d9850f504798523bf8c9a3a87d5876cf622bcf7";

export const SECONDS_PER_DAY = 86_400;

/** How far back "recently deployed or upgraded spender" looks by default. */
export const DEFAULT_RECENT_DAYS = 30;
