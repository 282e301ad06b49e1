import { getAddress, type Address, type Hex, type PublicClient } from "viem";
import { getDelegation } from "viem/actions";

import {
  EIP1822_PROXIABLE_SLOT,
  EIP1967_BEACON_SLOT,
  EIP1967_IMPLEMENTATION_SLOT,
} from "./constants.js";
import type { ProxyStandard, SpenderProfile } from "./types.js";

const PROXY_SLOTS: readonly [ProxyStandard, Hex][] = [
  ["eip1967", EIP1967_IMPLEMENTATION_SLOT],
  ["eip1967-beacon", EIP1967_BEACON_SLOT],
  ["eip1822", EIP1822_PROXIABLE_SLOT],
];

/** The code and proxy slots of an address at one block; null fields where the node had no answer. */
interface CodeState {
  code: Hex | null;
  slots: (Hex | null)[];
  /** The EIP-7702 delegate the code designates (viem's getDelegation), if any. */
  delegatedTo: Address | undefined;
}

const slotAddress = (slot: Hex | null): Address | null => {
  if (slot === null || BigInt(slot) === 0n) return null;
  return getAddress(`0x${slot.slice(-40)}`);
};

/**
 * Code and proxy slots at one block. With `historical`, a failed read becomes null ("unknown"):
 * a node without archive state cannot answer for old blocks, and that must not fail the scan.
 */
async function codeState(client: PublicClient, address: Address, blockNumber: bigint, historical: boolean): Promise<CodeState> {
  const guard = <T>(read: Promise<T>) => (historical ? read.catch(() => null) : read);
  const [code, delegatedTo, ...slots] = await Promise.all([
    guard(client.getCode({ address, blockNumber })),
    guard(getDelegation(client, { address, blockNumber })),
    ...PROXY_SLOTS.map(([, slot]) => guard(client.getStorageAt({ address, slot, blockNumber }))),
  ]);
  return {
    code: code === null ? null : (code ?? "0x"),
    slots: slots.map((slot) => (slot as Hex | null | undefined) ?? null),
    delegatedTo: (delegatedTo as Address | null | undefined) ?? undefined,
  };
}

const sameSlot = (a: Hex | null, b: Hex | null) => a !== null && b !== null && BigInt(a) === BigInt(b);

function profileOf(address: Address, now: CodeState, then: CodeState): SpenderProfile {
  const code = now.code ?? "0x";
  const delegated = now.delegatedTo !== undefined;
  const codeKind = code === "0x" ? "eoa" : delegated ? "delegated-eoa" : "contract";
  const proxyIndex = codeKind === "contract" ? now.slots.findIndex((slot) => slotAddress(slot) !== null) : -1;
  const proxy =
    proxyIndex === -1 ? null : { standard: PROXY_SLOTS[proxyIndex]![0], implementation: slotAddress(now.slots[proxyIndex]!)! };

  let deployedRecently: boolean | null = null;
  let upgradedRecently: boolean | null = null;
  if (codeKind === "eoa") {
    deployedRecently = false;
    upgradedRecently = false;
  } else if (then.code !== null) {
    // New or different code since the reference block: deployed (or re-deployed, or re-delegated).
    deployedRecently = then.code !== code;
    if (deployedRecently || proxyIndex === -1) upgradedRecently = false;
    else {
      const slotThen = then.slots[proxyIndex]!;
      upgradedRecently = slotThen === null ? null : !sameSlot(slotThen, now.slots[proxyIndex]!);
    }
  }
  return {
    address,
    codeKind,
    delegatedTo: now.delegatedTo ?? null,
    proxy,
    deployedRecently,
    upgradedRecently,
    label: null,
    router: false,
  };
}

/**
 * What each spender is: an EOA, an EIP-7702-delegated EOA or a contract; whether it is a proxy
 * (EIP-1967 implementation or beacon slot, EIP-1822 PROXIABLE slot); and, comparing with the
 * state at `referenceBlock` (the start of the recent window), whether its code appeared or
 * changed, or its implementation was switched, since then. All reads go out together.
 */
export async function profileSpenders(
  client: PublicClient,
  params: { spenders: readonly Address[]; blockNumber: bigint; referenceBlock: bigint },
): Promise<Record<string, SpenderProfile>> {
  const unique = [...new Map(params.spenders.map((spender) => [spender.toLowerCase(), spender])).values()];
  const states = await Promise.all(
    unique.map(async (address) => {
      const [now, then] = await Promise.all([
        codeState(client, address, params.blockNumber, false),
        codeState(client, address, params.referenceBlock, true),
      ]);
      return [address, now, then] as const;
    }),
  );
  const profiles: Record<string, SpenderProfile> = {};
  for (const [address, now, then] of states) {
    profiles[address.toLowerCase()] = profileOf(address, now, then);
  }
  return profiles;
}
