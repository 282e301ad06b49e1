// Demo data for the blast-radius simulation on the in-process chain: one compromised spender
// (a Drainer) and five owners with a mix of exposures to it.
//   owner 1: unlimited legacy approval (STBL) and an ERC-721 operator approval (2 NFTs)
//   owner 2: a live router grant (500 STBL) and a limited legacy approval on a USDT-like token
//   owner 3: an expired router grant (WETH), an unlimited live router grant (STBL) and an
//            ERC-1155 operator approval
//   owner 4: everything already revoked: legacy approval set back to 0, router grant locked down
//   owner 5: an unlimited legacy approval on a BNB-like token that cannot be approved to 0
import type { Address } from "viem";
import { getAddress, parseUnits } from "viem";
import type { NetworkConnection } from "hardhat/types/network";

const HOLDING = 10_000n;
const STABLE_DECIMALS = 18;
const USDT_DECIMALS = 6;
const ROUTER_GRANT = parseUnits("500", STABLE_DECIMALS);
const LIMITED_LEGACY_APPROVAL = parseUnits("2000", USDT_DECIMALS);
const UNLIMITED_APPROVAL = 2n ** 256n - 1n;
const UNLIMITED_GRANT = 2n ** 160n - 1n;
const SHORT_GRANT_SECONDS = 60n;
const DAY_SECONDS = 24n * 60n * 60n;
const WEEK_SECONDS = 7n * DAY_SECONDS;
/// Time passed after seeding, so that the short grant has expired.
const ELAPSED_SECONDS = 60 * 60;
const NFT_IDS = [1n, 2n];
const ITEM_ID = 7n;
const ITEM_AMOUNT = 25n;

export type DemoDeployment = {
  spender: Address;
  router: Address;
  owners: Address[];
  tokens: Record<"stable" | "weth" | "usdtLike" | "bnbLike" | "nft" | "items", Address>;
};

export async function seedDemo({ viem, networkHelpers }: NetworkConnection<"l1">): Promise<DemoDeployment> {
  const [deployer, owner1, owner2, owner3, owner4, owner5, attacker] = await viem.getWalletClients();
  const deploy = { client: { wallet: deployer } };
  const router = await viem.deployContract("AllowanceRouter", [], deploy);
  const drainer = await viem.deployContract("Drainer", [attacker.account.address], deploy);
  const stable = await viem.deployContract("TestToken", ["Stable", "STBL"], deploy);
  const weth = await viem.deployContract("TestToken", ["Wrapped Ether", "WETH"], deploy);
  const usdtLike = await viem.deployContract("NoReturnToken", [], deploy);
  const bnbLike = await viem.deployContract("RevertOnZeroApprovalToken", [], deploy);
  const nft = await viem.deployContract("TestERC721", [], deploy);
  const items = await viem.deployContract("TestERC1155", [], deploy);
  const spender = drainer.address;

  const owners = [owner1, owner2, owner3, owner4, owner5].map((wallet) => wallet.account);
  for (const owner of owners) {
    await stable.write.mint([owner.address, parseUnits(HOLDING.toString(), STABLE_DECIMALS)]);
    await weth.write.mint([owner.address, parseUnits(HOLDING.toString(), STABLE_DECIMALS)]);
    await usdtLike.write.mint([owner.address, parseUnits(HOLDING.toString(), USDT_DECIMALS)]);
    await bnbLike.write.mint([owner.address, parseUnits(HOLDING.toString(), STABLE_DECIMALS)]);
  }
  const now = BigInt(await networkHelpers.time.latest());
  const [o1, o2, o3, o4, o5] = owners;

  await stable.write.approve([spender, UNLIMITED_APPROVAL], { account: o1 });
  for (const id of NFT_IDS) await nft.write.mint([o1.address, id]);
  await nft.write.setApprovalForAll([spender, true], { account: o1 });

  await stable.write.approve([router.address, UNLIMITED_APPROVAL], { account: o2 });
  await router.write.approve([stable.address, spender, ROUTER_GRANT, Number(now + DAY_SECONDS)], { account: o2 });
  await usdtLike.write.approve([spender, LIMITED_LEGACY_APPROVAL], { account: o2 });

  await weth.write.approve([router.address, UNLIMITED_APPROVAL], { account: o3 });
  await stable.write.approve([router.address, UNLIMITED_APPROVAL], { account: o3 });
  await router.write.approve([weth.address, spender, UNLIMITED_GRANT, Number(now + SHORT_GRANT_SECONDS)], { account: o3 });
  await router.write.approve([stable.address, spender, UNLIMITED_GRANT, Number(now + WEEK_SECONDS)], { account: o3 });
  await items.write.mint([o3.address, ITEM_ID, ITEM_AMOUNT]);
  await items.write.setApprovalForAll([spender, true], { account: o3 });

  await stable.write.approve([spender, UNLIMITED_APPROVAL], { account: o4 });
  await stable.write.approve([spender, 0n], { account: o4 });
  await weth.write.approve([router.address, UNLIMITED_APPROVAL], { account: o4 });
  await router.write.approve([weth.address, spender, ROUTER_GRANT, Number(now + DAY_SECONDS)], { account: o4 });
  await router.write.lockdown([[{ token: weth.address, spender }]], { account: o4 });

  await bnbLike.write.approve([spender, UNLIMITED_APPROVAL], { account: o5 });

  await networkHelpers.time.increase(ELAPSED_SECONDS);
  return {
    spender: getAddress(spender),
    router: getAddress(router.address),
    owners: owners.map((owner) => getAddress(owner.address)),
    tokens: {
      stable: getAddress(stable.address),
      weth: getAddress(weth.address),
      usdtLike: getAddress(usdtLike.address),
      bnbLike: getAddress(bnbLike.address),
      nft: getAddress(nft.address),
      items: getAddress(items.address),
    },
  };
}
