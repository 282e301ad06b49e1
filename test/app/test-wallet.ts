// An injected EIP-1193 test wallet for the dashboard's browser tests: a local private key in the
// test process behind `window.ethereum` in the page (Playwright's exposeFunction carries each
// request out and the answer back). Two flavours: with EIP-5792 wallet_sendCalls (each call sent
// as its own transaction, like a wallet without atomic batching) and without.
import {
  createWalletClient,
  http,
  keccak256,
  numberToHex,
  toHex,
  type Hex,
  type TypedDataDefinition,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { Page } from "playwright-core";

export type TestWalletOptions = {
  privateKey: Hex;
  rpcUrl: string;
  chainId: number;
  /** Answer wallet_getCapabilities / wallet_sendCalls (EIP-5792). */
  sendCalls: boolean;
  /** The chain id the wallet reports (default: chainId): another one puts it on the "wrong chain". */
  reportedChainId?: number;
};

type Rpc = { method: string; params?: unknown[] };
type Answer = { result: unknown } | { error: { code: number; message: string } };

export interface TestWallet {
  address: Hex;
  /** Every method the page asked for, in order. */
  requests: string[];
  /** The next request of one of these methods is refused as a user rejection (code 4001). */
  rejectNext(method: string): void;
  install(page: Page): Promise<void>;
}

/** Gas for each call of a wallet_sendCalls batch, so that a call that would revert is still sent. */
const CALL_GAS = 500_000n;

class WalletError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** Typed-data JSON carries integers as strings or numbers: viem wants bigints for uint/int fields. */
function reviveTypedData(json: string): TypedDataDefinition {
  const data = JSON.parse(json) as { types: Record<string, { name: string; type: string }[]>; primaryType: string; domain: Record<string, unknown>; message: Record<string, unknown> };
  const revive = (type: string, value: unknown): unknown => {
    if (type.endsWith("[]")) return (value as unknown[]).map((item) => revive(type.slice(0, -2), item));
    if (/^u?int\d*$/.test(type)) return BigInt(value as string);
    const fields = data.types[type];
    if (fields === undefined) return value;
    return Object.fromEntries(fields.map((field) => [field.name, revive(field.type, (value as Record<string, unknown>)[field.name])]));
  };
  const { EIP712Domain: _, ...types } = data.types;
  const domain = { ...data.domain } as Record<string, unknown>;
  if (domain.chainId !== undefined) domain.chainId = Number(domain.chainId);
  return { domain, types, primaryType: data.primaryType, message: revive(data.primaryType, data.message) } as unknown as TypedDataDefinition;
}

export function createTestWallet(options: TestWalletOptions): TestWallet {
  const account = privateKeyToAccount(options.privateKey);
  const wallet = createWalletClient({ account, transport: http(options.rpcUrl) });
  const requests: string[] = [];
  const rejections = new Set<string>();
  const batches = new Map<string, Hex[]>();
  const chainHex = numberToHex(options.reportedChainId ?? options.chainId);
  const node = (method: string, params: unknown[] = []) => wallet.request({ method, params } as never) as Promise<unknown>;

  // Hardhat answers a reverting transaction with an error although it mines it: sign it here,
  // so its hash is known either way.
  const sendEvenIfReverting = async (call: { to: Hex; data?: Hex }): Promise<Hex> => {
    const request = await wallet.prepareTransactionRequest({ account, chain: null, to: call.to, data: call.data, gas: CALL_GAS });
    const serialized = await account.signTransaction(request as never);
    try {
      return await wallet.sendRawTransaction({ serializedTransaction: serialized });
    } catch (error) {
      const hash = keccak256(serialized);
      if ((await node("eth_getTransactionReceipt", [hash])) === null) throw error;
      return hash;
    }
  };

  const handle = async ({ method, params = [] }: Rpc): Promise<unknown> => {
    requests.push(method);
    if (rejections.delete(method)) throw new WalletError(4001, "User rejected the request.");
    switch (method) {
      case "eth_requestAccounts":
      case "eth_accounts":
        return [account.address];
      case "eth_chainId":
        return chainHex;
      case "wallet_switchEthereumChain":
        if ((params[0] as { chainId: Hex }).chainId !== chainHex) throw new WalletError(4902, "Unrecognized chain ID.");
        return null;
      case "eth_sendTransaction": {
        const [tx] = params as [{ to: Hex; data?: Hex; value?: Hex; gas?: Hex }];
        return wallet.sendTransaction({
          account,
          chain: null,
          to: tx.to,
          data: tx.data,
          value: tx.value === undefined ? undefined : BigInt(tx.value),
        });
      }
      case "eth_signTypedData_v4":
        return account.signTypedData(reviveTypedData(params[1] as string));
      case "personal_sign":
        return account.signMessage({ message: { raw: params[0] as Hex } });
      case "wallet_getCapabilities":
        if (!options.sendCalls) throw new WalletError(-32601, "Method wallet_getCapabilities is not supported");
        return { [numberToHex(options.chainId)]: { atomic: { status: "unsupported" } } };
      case "wallet_sendCalls": {
        if (!options.sendCalls) throw new WalletError(-32601, "Method wallet_sendCalls is not supported");
        const [{ calls }] = params as [{ calls: { to: Hex; data?: Hex; value?: Hex }[] }];
        const hashes: Hex[] = [];
        // Like a wallet without atomic batching: every call goes out, one that reverts is mined as reverted.
        for (const call of calls) hashes.push(await sendEvenIfReverting(call));
        const id = keccak256(toHex(hashes.join("")));
        batches.set(id, hashes);
        return { id };
      }
      case "wallet_getCallsStatus": {
        const hashes = batches.get(params[0] as string);
        if (hashes === undefined) throw new WalletError(5730, "Unknown bundle id");
        const receipts = (await Promise.all(hashes.map((hash) => node("eth_getTransactionReceipt", [hash])))) as ({ status: Hex } & Record<string, unknown>)[];
        const done = receipts.every((receipt) => receipt !== null);
        return { version: "2.0.0", id: params[0], chainId: chainHex, atomic: false, status: done ? 200 : 100, receipts: done ? receipts : [] };
      }
      default:
        if (method.startsWith("wallet_")) throw new WalletError(-32601, `Method ${method} is not supported`);
        return node(method, params);
    }
  };

  return {
    address: account.address,
    requests,
    rejectNext: (method) => void rejections.add(method),
    async install(page) {
      await page.exposeFunction("__testWalletRequest", async (request: Rpc): Promise<Answer> => {
        try {
          return { result: await handle(request) };
        } catch (error) {
          const { code, message, details } = error as { code?: number; message: string; details?: string };
          return { error: { code: typeof code === "number" ? code : -32603, message: details ?? message } };
        }
      });
      await page.addInitScript(() => {
        const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
        const bridge = (globalThis as unknown as { __testWalletRequest: (request: unknown) => Promise<{ result?: unknown; error?: { code: number; message: string } }> }).__testWalletRequest;
        (globalThis as unknown as { ethereum: unknown }).ethereum = {
          isTestWallet: true,
          async request(request: { method: string; params?: unknown[] }) {
            const answer = await bridge({ method: request.method, params: request.params ?? [] });
            if (answer.error) throw Object.assign(new Error(answer.error.message), { code: answer.error.code });
            return answer.result;
          },
          on(event: string, listener: (...args: unknown[]) => void) {
            (listeners.get(event) ?? listeners.set(event, new Set()).get(event)!).add(listener);
          },
          removeListener(event: string, listener: (...args: unknown[]) => void) {
            listeners.get(event)?.delete(listener);
          },
        };
      });
    },
  };
}
