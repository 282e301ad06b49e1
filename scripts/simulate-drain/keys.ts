// The accounts whose private keys a simulated network's configuration holds: on the in-process
// chain, the HD accounts every owner of the demo is one of. Only such an owner can sign the
// EIP-7702 authorization that lets it revoke everything in one transaction; JSON-RPC and
// impersonated accounts cannot.
import type { NetworkConnection } from "hardhat/types/network";
import type { Address, LocalAccount } from "viem";
import { mnemonicToAccount, privateKeyToAccount } from "viem/accounts";

/// Local accounts by lower-case address; empty for a network that is not simulated.
export async function localAccountsOf(connection: NetworkConnection<"l1">): Promise<Map<string, LocalAccount>> {
  const accounts = new Map<string, LocalAccount>();
  const config = connection.networkConfig;
  if (config.type !== "edr-simulated") return accounts;
  const add = (account: LocalAccount) => accounts.set(account.address.toLowerCase(), account);
  if (Array.isArray(config.accounts)) {
    for (const { privateKey } of config.accounts) add(privateKeyToAccount((await privateKey.get()) as `0x${string}`));
    return accounts;
  }
  const { mnemonic, passphrase, path, initialIndex, count } = config.accounts;
  const [phrase, secret] = await Promise.all([mnemonic.get(), passphrase.get()]);
  for (let index = initialIndex; index < initialIndex + count; index++) {
    add(mnemonicToAccount(phrase, { path: `${path}/${index}` as `m/44'/60'/${string}`, passphrase: secret }));
  }
  return accounts;
}

export function localAccountFor(accounts: Map<string, LocalAccount>, owner: Address): LocalAccount | undefined {
  return accounts.get(owner.toLowerCase());
}
