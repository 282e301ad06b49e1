// Integration tests of AllowanceRouter through the TypeScript SDK (src/): EIP-712 signing with
// viem, EIP-1271 owners, the duration cap, the guardian, expiry and nonces, the batch view and
// the grant helpers.
import { expect } from "chai";
import { network } from "hardhat";
import {
  type Address,
  type Hex,
  encodeAbiParameters,
  encodeFunctionData,
  erc20Abi,
  hashDomain,
  hashStruct,
  hashTypedData,
  keccak256,
  maxUint160,
  maxUint256,
  recoverAddress,
  size,
  toHex,
  zeroAddress,
  zeroHash,
  type BaseError,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { getEip712Domain } from "viem/actions";

import {
  DEFAULT_SIGNATURE_LIFETIME,
  EmptyBatchError,
  ExpirationInPastError,
  ExpiryChoiceError,
  NotAnAddressError,
  MissingAccountError,
  OutOfRangeError,
  type PermitBatch,
  type PermitSingle,
  RouterInputError,
  SignatureLengthError,
  UNLIMITED_AMOUNT,
  ZeroAddressError,
  grant,
  grantByPermit,
  permitBatchTypes,
  permitSingleTypes,
  routerDomain,
  signPermitBatch,
  signPermitSingle,
  submitPermit,
  toCompactSignature,
} from "../src/index.js";

const { viem, networkHelpers } = await network.create();
const { time } = networkHelpers;

// Permit2's type strings, copied from Uniswap's PermitHash.sol.
const PERMIT_DETAILS_TYPE = "PermitDetails(address token,uint160 amount,uint48 expiration,uint48 nonce)";
const PERMIT_SINGLE_TYPE = `PermitSingle(PermitDetails details,address spender,uint256 sigDeadline)${PERMIT_DETAILS_TYPE}`;
const PERMIT_BATCH_TYPE = `PermitBatch(PermitDetails[] details,address spender,uint256 sigDeadline)${PERMIT_DETAILS_TYPE}`;
const DOMAIN_TYPE = "EIP712Domain(string name,uint256 chainId,address verifyingContract)";

const HOUR = 3_600;
const DAY = 24 * HOUR;
const MINTED = 1_000_000n * 10n ** 18n;

async function deployRouter() {
  const [owner, spender, relayer, guardian, stranger, walletSigner] = await viem.getWalletClients();
  const publicClient = await viem.getPublicClient();
  const router = await viem.deployContract("AllowanceRouter");
  const token = await viem.deployContract("TestToken", ["Test Token", "TST"]);
  const otherToken = await viem.deployContract("TestToken", ["Other Token", "OTH"]);
  for (const erc20 of [token, otherToken]) {
    await erc20.write.mint([owner.account.address, MINTED]);
    await erc20.write.approve([router.address, maxUint256], { account: owner.account });
  }
  const chainId = await publicClient.getChainId();
  return { owner, spender, relayer, guardian, stranger, walletSigner, publicClient, router, token, otherToken, chainId };
}

type Fixture = Awaited<ReturnType<typeof deployRouter>>;

/** The error a promise rejects with; fails the test if it resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<BaseError> {
  try {
    await promise;
  } catch (error) {
    return error as BaseError;
  }
  expect.fail("expected a rejection");
}

function details(token: Address, amount: bigint, expiration: number, nonce = 0) {
  return { token, amount, expiration, nonce };
}

async function permitSingleFor(f: Fixture, overrides: Partial<PermitSingle["details"]> = {}): Promise<PermitSingle> {
  const now = await time.latest();
  return {
    details: { ...details(f.token.address, 500n, now + DAY), ...overrides },
    spender: f.spender.account.address,
    sigDeadline: BigInt(now + HOUR),
  };
}

/** The (amount, expiration, nonce) of a grant as stored. */
async function stored(f: Fixture, owner: Address, token: Address, spender: Address) {
  const [amount, expiration, nonce] = await f.router.read.allowance([owner, token, spender]);
  return { amount, expiration, nonce };
}

describe("AllowanceRouter (TypeScript)", function () {
  describe("EIP-712 typed data", function () {
    it("permitSingleTypes and permitBatchTypes hash exactly as Permit2's type strings", async function () {
      const spender = privateKeyToAccount(generatePrivateKey()).address;
      const first = details(privateKeyToAccount(generatePrivateKey()).address, 7n, 1_000, 3);
      const second = details(privateKeyToAccount(generatePrivateKey()).address, maxUint160, 2_000, 4);
      const hashDetails = (d: typeof first) =>
        keccak256(
          encodeAbiParameters(
            [{ type: "bytes32" }, { type: "address" }, { type: "uint160" }, { type: "uint48" }, { type: "uint48" }],
            [keccak256(toHex(PERMIT_DETAILS_TYPE)), d.token, d.amount, d.expiration, d.nonce],
          ),
        );
      const envelope = [{ type: "bytes32" }, { type: "bytes32" }, { type: "address" }, { type: "uint256" }] as const;

      const single = { details: first, spender, sigDeadline: 99n };
      expect(hashStruct({ types: permitSingleTypes, primaryType: "PermitSingle", data: single })).to.equal(
        keccak256(encodeAbiParameters(envelope, [keccak256(toHex(PERMIT_SINGLE_TYPE)), hashDetails(first), spender, 99n])),
      );

      const batch = { details: [first, second], spender, sigDeadline: 99n };
      const detailsHash = keccak256(`0x${hashDetails(first).slice(2)}${hashDetails(second).slice(2)}`);
      expect(hashStruct({ types: permitBatchTypes, primaryType: "PermitBatch", data: batch })).to.equal(
        keccak256(encodeAbiParameters(envelope, [keccak256(toHex(PERMIT_BATCH_TYPE)), detailsHash, spender, 99n])),
      );
    });

    it("routerDomain hashes to the router's DOMAIN_SEPARATOR (name, chainId, verifyingContract; no version)", async function () {
      const f = await networkHelpers.loadFixture(deployRouter);
      const domain = routerDomain({ chainId: f.chainId, verifyingContract: f.router.address });
      expect(domain).to.deep.equal({ name: "AllowanceRouter", chainId: f.chainId, verifyingContract: f.router.address });

      const onChain = await f.router.read.DOMAIN_SEPARATOR();
      const byHand = keccak256(
        encodeAbiParameters(
          [{ type: "bytes32" }, { type: "bytes32" }, { type: "uint256" }, { type: "address" }],
          [keccak256(toHex(DOMAIN_TYPE)), keccak256(toHex("AllowanceRouter")), BigInt(f.chainId), f.router.address],
        ),
      );
      const byViem = hashDomain({
        domain: { ...domain, chainId: BigInt(domain.chainId) },
        types: {
          EIP712Domain: [
            { name: "name", type: "string" },
            { name: "chainId", type: "uint256" },
            { name: "verifyingContract", type: "address" },
          ],
        },
      });
      expect(onChain).to.equal(byHand);
      expect(onChain).to.equal(byViem);
    });

    it("ERC-5267: viem getEip712Domain reads the router's domain, fields 0x0d, no version, salt or extensions", async function () {
      const f = await networkHelpers.loadFixture(deployRouter);
      const { domain, fields, extensions } = await getEip712Domain(f.publicClient, { address: f.router.address });
      expect(fields).to.equal("0x0d");
      expect(extensions).to.deep.equal([]);
      expect(domain.name).to.equal("AllowanceRouter");
      expect(domain.version).to.equal("");
      expect(domain.chainId).to.equal(f.chainId);
      expect(domain.verifyingContract.toLowerCase()).to.equal(f.router.address.toLowerCase());
      expect(domain.salt).to.equal(zeroHash);
    });

    it("signPermitSingle (JSON-RPC wallet client) gives 65 bytes that recover to the owner over viem's hashTypedData; the router accepts them", async function () {
      const f = await networkHelpers.loadFixture(deployRouter);
      const permit = await permitSingleFor(f);
      const signature = await signPermitSingle({ signer: f.owner, chainId: f.chainId, router: f.router.address, permit });
      expect(size(signature)).to.equal(65);

      const digest = hashTypedData({
        domain: routerDomain({ chainId: f.chainId, verifyingContract: f.router.address }),
        types: permitSingleTypes,
        primaryType: "PermitSingle",
        message: permit,
      });
      expect((await recoverAddress({ hash: digest, signature })).toLowerCase()).to.equal(f.owner.account.address.toLowerCase());

      await viem.assertions.emitWithArgs(
        f.router.write.permit([f.owner.account.address, permit, signature], { account: f.relayer.account }),
        f.router,
        "Permit",
        [f.owner.account.address, f.token.address, f.spender.account.address, 500n, permit.details.expiration, 0],
      );
      expect(await stored(f, f.owner.account.address, f.token.address, f.spender.account.address)).to.deep.equal({
        amount: 500n,
        expiration: permit.details.expiration,
        nonce: 1,
      });
    });

    it("the router's digest is viem's hashTypedData: a raw signature of that digest is accepted, of any other digest rejected", async function () {
      const f = await networkHelpers.loadFixture(deployRouter);
      const account = privateKeyToAccount(generatePrivateKey());
      const permit = await permitSingleFor(f);
      const typedData = {
        domain: routerDomain({ chainId: f.chainId, verifyingContract: f.router.address }),
        types: permitSingleTypes,
        primaryType: "PermitSingle",
      } as const;

      const otherDigest = hashTypedData({ ...typedData, message: { ...permit, sigDeadline: permit.sigDeadline + 1n } });
      await viem.assertions.revertWithCustomError(
        f.router.write.permit([account.address, permit, await account.sign({ hash: otherDigest })]),
        f.router,
        "InvalidSigner",
      );

      const digest = hashTypedData({ ...typedData, message: permit });
      await viem.assertions.emit(
        f.router.write.permit([account.address, permit, await account.sign({ hash: digest })]),
        f.router,
        "Permit",
      );
    });

    it("signPermitSingle with a local account signs what the router accepts, and the owner pays no gas", async function () {
      const f = await networkHelpers.loadFixture(deployRouter);
      const account = privateKeyToAccount(generatePrivateKey());
      const permit = await permitSingleFor(f);
      const signature = await signPermitSingle({ signer: account, chainId: f.chainId, router: f.router.address, permit });
      await f.router.write.permit([account.address, permit, signature], { account: f.relayer.account });
      expect((await stored(f, account.address, f.token.address, f.spender.account.address)).amount).to.equal(500n);
      expect(await f.publicClient.getBalance({ address: account.address })).to.equal(0n);
    });

    it("signPermitBatch grants every token in one signature, each with a Permit event and its own nonce", async function () {
      const f = await networkHelpers.loadFixture(deployRouter);
      const now = await time.latest();
      const permit: PermitBatch = {
        details: [details(f.token.address, 10n, now + DAY), details(f.otherToken.address, 20n, now + 2 * DAY)],
        spender: f.spender.account.address,
        sigDeadline: BigInt(now + HOUR),
      };
      const signature = await signPermitBatch({ signer: f.owner, chainId: f.chainId, router: f.router.address, permit });
      expect(size(signature)).to.equal(65);
      const digest = hashTypedData({
        domain: routerDomain({ chainId: f.chainId, verifyingContract: f.router.address }),
        types: permitBatchTypes,
        primaryType: "PermitBatch",
        message: permit,
      });
      expect((await recoverAddress({ hash: digest, signature })).toLowerCase()).to.equal(f.owner.account.address.toLowerCase());

      const hash = await f.router.write.permit([f.owner.account.address, permit, signature], { account: f.relayer.account });
      for (const [index, { token, amount, expiration }] of permit.details.entries()) {
        await viem.assertions.emitWithArgs(hash, f.router, "Permit", [
          f.owner.account.address,
          token,
          f.spender.account.address,
          amount,
          expiration,
          0,
        ]);
        expect(await stored(f, f.owner.account.address, token, f.spender.account.address), `details[${index}]`).to.deep.equal({
          amount,
          expiration,
          nonce: 1,
        });
      }
    });

    it("64-byte EIP-2098 compact signatures are accepted for PermitSingle and PermitBatch", async function () {
      const f = await networkHelpers.loadFixture(deployRouter);
      const single = await permitSingleFor(f);
      const singleSignature = await signPermitSingle({ signer: f.owner, chainId: f.chainId, router: f.router.address, permit: single });
      const compactSingle = toCompactSignature(singleSignature);
      expect(size(compactSingle)).to.equal(64);
      expect(compactSingle.slice(0, 66)).to.equal(singleSignature.slice(0, 66)); // r is unchanged
      await viem.assertions.emit(
        f.router.write.permit([f.owner.account.address, single, compactSingle], { account: f.relayer.account }),
        f.router,
        "Permit",
      );

      const now = await time.latest();
      const batch: PermitBatch = {
        details: [details(f.token.address, 1n, now + DAY, 1), details(f.otherToken.address, 2n, now + DAY, 0)],
        spender: f.spender.account.address,
        sigDeadline: BigInt(now + HOUR),
      };
      const batchSignature = await signPermitBatch({ signer: f.owner, chainId: f.chainId, router: f.router.address, permit: batch });
      await f.router.write.permit([f.owner.account.address, batch, toCompactSignature(batchSignature)], {
        account: f.relayer.account,
      });
      expect((await stored(f, f.owner.account.address, f.otherToken.address, f.spender.account.address)).amount).to.equal(2n);
    });

    it("both signature parities survive the compact form (the top bit of yParityAndS carries v)", async function () {
      const f = await networkHelpers.loadFixture(deployRouter);
      const seen = new Set<string>();
      // Successive nonces give independent signatures; both v values turn up within a few.
      for (let nonce = 0; seen.size < 2; nonce++) {
        expect(nonce, "no signature with both parities after 64 tries").to.be.lessThan(64);
        const permit = await permitSingleFor(f, { nonce });
        const signature = await signPermitSingle({ signer: f.owner, chainId: f.chainId, router: f.router.address, permit });
        seen.add(signature.slice(-2));
        await f.router.write.permit([f.owner.account.address, permit, toCompactSignature(signature)], {
          account: f.relayer.account,
        });
      }
      expect([...seen].sort()).to.deep.equal(["1b", "1c"]);
    });

    it("a signature of another account, or of the wrong length, is rejected and changes nothing", async function () {
      const f = await networkHelpers.loadFixture(deployRouter);
      const permit = await permitSingleFor(f);
      const byStranger = await signPermitSingle({ signer: f.stranger, chainId: f.chainId, router: f.router.address, permit });
      await viem.assertions.revertWithCustomError(
        f.router.write.permit([f.owner.account.address, permit, byStranger]),
        f.router,
        "InvalidSigner",
      );
      await viem.assertions.revertWithCustomError(
        f.router.write.permit([f.owner.account.address, permit, `0x${byStranger.slice(2, 128)}` as Hex]),
        f.router,
        "InvalidSignatureLength",
      );
      expect(await stored(f, f.owner.account.address, f.token.address, f.spender.account.address)).to.deep.equal({
        amount: 0n,
        expiration: 0,
        nonce: 0,
      });
    });

    it("signing helpers reject bad input with typed errors before anything is signed", async function () {
      const f = await networkHelpers.loadFixture(deployRouter);
      const account = privateKeyToAccount(generatePrivateKey());
      let signatures = 0;
      const countingSign = (typedData: Parameters<typeof account.signTypedData>[0]) => {
        signatures++;
        return account.signTypedData(typedData);
      };
      const countingSigner = { ...account, signTypedData: countingSign as typeof account.signTypedData };
      const sign = (permit: PermitSingle, router: Address = f.router.address) =>
        signPermitSingle({ signer: countingSigner, chainId: f.chainId, router, permit });
      const permit = await permitSingleFor(f);

      const zeroSpender = await rejectionOf(sign({ ...permit, spender: zeroAddress }));
      expect(zeroSpender).to.be.instanceOf(ZeroAddressError).and.instanceOf(RouterInputError);
      expect(zeroSpender.shortMessage).to.equal("spender is the zero address: pass the real spender address.");
      expect(await rejectionOf(sign({ ...permit, details: { ...permit.details, token: zeroAddress } }))).to.be.instanceOf(ZeroAddressError);
      expect(await rejectionOf(sign(permit, zeroAddress))).to.be.instanceOf(ZeroAddressError);
      expect(await rejectionOf(sign({ ...permit, spender: "0x1234" }))).to.be.instanceOf(NotAnAddressError);
      const tooMuch = await rejectionOf(sign({ ...permit, details: { ...permit.details, amount: maxUint160 + 1n } }));
      expect(tooMuch).to.be.instanceOf(OutOfRangeError);
      expect(tooMuch.shortMessage).to.equal(`details.amount must be a whole number from 0 to ${maxUint160}, got ${maxUint160 + 1n}.`);
      expect(await rejectionOf(sign({ ...permit, details: { ...permit.details, expiration: 2 ** 48 } }))).to.be.instanceOf(OutOfRangeError);
      expect(await rejectionOf(sign({ ...permit, details: { ...permit.details, nonce: -1 } }))).to.be.instanceOf(OutOfRangeError);
      expect(await rejectionOf(sign({ ...permit, sigDeadline: -1n }))).to.be.instanceOf(OutOfRangeError);
      const badBatch = { ...permit, details: [permit.details, { ...permit.details, token: zeroAddress }] };
      const batchError = await rejectionOf(
        signPermitBatch({ signer: countingSigner, chainId: f.chainId, router: f.router.address, permit: badBatch }),
      );
      expect(batchError.shortMessage).to.equal("details[1].token is the zero address: pass the real details[1].token address.");
      const emptyBatch = { ...permit, details: [] };
      expect(
        await rejectionOf(signPermitBatch({ signer: countingSigner, chainId: f.chainId, router: f.router.address, permit: emptyBatch })),
      ).to.be.instanceOf(EmptyBatchError);
      expect(signatures).to.equal(0);

      const [noAccountClient] = await viem.getWalletClients();
      const accountless = { ...noAccountClient, account: undefined } as unknown as typeof noAccountClient;
      expect(
        await rejectionOf(signPermitSingle({ signer: accountless, chainId: f.chainId, router: f.router.address, permit })),
      ).to.be.instanceOf(MissingAccountError);

      await sign(permit);
      expect(signatures).to.equal(1);
    });

    it("toCompactSignature rejects anything but a 65-byte signature", function () {
      const error = (() => {
        try {
          toCompactSignature(`0x${"11".repeat(64)}`);
        } catch (caught) {
          return caught as SignatureLengthError;
        }
        expect.fail("expected a SignatureLengthError");
      })();
      expect(error).to.be.instanceOf(SignatureLengthError);
      expect(error.shortMessage).to.equal("The signature is 64 bytes, expected 65: pass an r‖s‖v ECDSA signature.");
    });
  });

  describe("EIP-1271 contract-wallet owner", function () {
    async function deployWallet() {
      const f = await deployRouter();
      const wallet = await viem.deployContract("MockERC1271Wallet", [f.walletSigner.account.address]);
      await f.token.write.mint([wallet.address, MINTED]);
      const approveRouter = encodeFunctionData({ abi: erc20Abi, functionName: "approve", args: [f.router.address, maxUint256] });
      await wallet.write.execute([f.token.address, approveRouter], { account: f.walletSigner.account });
      return { ...f, wallet };
    }

    it("grants by permit from its signer's key, and the spender pulls from the wallet", async function () {
      const f = await networkHelpers.loadFixture(deployWallet);
      const permit = await permitSingleFor(f);
      const signature = await signPermitSingle({ signer: f.walletSigner, chainId: f.chainId, router: f.router.address, permit });
      await viem.assertions.emitWithArgs(
        f.router.write.permit([f.wallet.address, permit, signature], { account: f.relayer.account }),
        f.router,
        "Permit",
        [f.wallet.address, f.token.address, f.spender.account.address, 500n, permit.details.expiration, 0],
      );

      const recipient = f.stranger.account.address;
      await f.router.write.transferFrom([f.wallet.address, recipient, 200n, f.token.address], { account: f.spender.account });
      expect(await f.token.read.balanceOf([recipient])).to.equal(200n);
      expect(await f.token.read.balanceOf([f.wallet.address])).to.equal(MINTED - 200n);
      expect(await f.token.read.balanceOf([f.router.address])).to.equal(0n);
      expect((await stored(f, f.wallet.address, f.token.address, f.spender.account.address)).amount).to.equal(300n);
    });

    it("rejects a signature the wallet does not accept with InvalidContractSignature", async function () {
      const f = await networkHelpers.loadFixture(deployWallet);
      const permit = await permitSingleFor(f);
      const signature = await signPermitSingle({ signer: f.stranger, chainId: f.chainId, router: f.router.address, permit });
      await viem.assertions.revertWithCustomError(
        f.router.write.permit([f.wallet.address, permit, signature]),
        f.router,
        "InvalidContractSignature",
      );
    });

    it("grantByPermit with owner set to the wallet reads the wallet's nonce and the relayer submits", async function () {
      const f = await networkHelpers.loadFixture(deployWallet);
      const grantToSpender = (amount: bigint) =>
        grantByPermit(f.walletSigner, {
          owner: f.wallet.address,
          router: f.router.address,
          token: f.token.address,
          spender: f.spender.account.address,
          amount,
          expiresIn: DAY,
          relayer: f.relayer,
        });
      const first = await grantToSpender(100n);
      expect(first.owner).to.equal(f.wallet.address);
      expect(first.permitSingle.details.nonce).to.equal(0);
      await viem.assertions.emit(first.hash!, f.router, "Permit");

      const second = await grantToSpender(250n);
      expect(second.permitSingle.details.nonce).to.equal(1);
      expect(await stored(f, f.wallet.address, f.token.address, f.spender.account.address)).to.deep.equal({
        amount: 250n,
        expiration: second.permitSingle.details.expiration,
        nonce: 2,
      });
    });
  });

  describe("duration cap", function () {
    it("clamps an approve beyond the cap to block time + cap; the Approval event carries the clamped expiration", async function () {
      const f = await networkHelpers.loadFixture(deployRouter);
      await viem.assertions.emitWithArgs(f.router.write.setMaxDuration([HOUR]), f.router, "MaxDurationSet", [
        f.owner.account.address,
        HOUR,
      ]);
      expect((await f.router.read.settingsOf([f.owner.account.address]))[1]).to.equal(HOUR);

      const blockTime = (await time.latest()) + 10;
      await time.setNextBlockTimestamp(blockTime);
      await viem.assertions.emitWithArgs(
        f.router.write.approve([f.token.address, f.spender.account.address, 100n, blockTime + 30 * DAY]),
        f.router,
        "Approval",
        [f.owner.account.address, f.token.address, f.spender.account.address, 100n, blockTime + HOUR],
      );
      expect((await stored(f, f.owner.account.address, f.token.address, f.spender.account.address)).expiration).to.equal(
        blockTime + HOUR,
      );

      // Within the cap, the request stands.
      await viem.assertions.emitWithArgs(
        f.router.write.approve([f.otherToken.address, f.spender.account.address, 100n, blockTime + HOUR - 1]),
        f.router,
        "Approval",
        [f.owner.account.address, f.otherToken.address, f.spender.account.address, 100n, blockTime + HOUR - 1],
      );
    });

    it("clamps a permit beyond the cap; the Permit event carries the clamped expiration", async function () {
      const f = await networkHelpers.loadFixture(deployRouter);
      await f.router.write.setMaxDuration([HOUR]);
      const permit = await permitSingleFor(f, { expiration: (await time.latest()) + 365 * DAY });
      const signature = await signPermitSingle({ signer: f.owner, chainId: f.chainId, router: f.router.address, permit });

      const blockTime = (await time.latest()) + 10;
      await time.setNextBlockTimestamp(blockTime);
      await viem.assertions.emitWithArgs(
        f.router.write.permit([f.owner.account.address, permit, signature], { account: f.relayer.account }),
        f.router,
        "Permit",
        [f.owner.account.address, f.token.address, f.spender.account.address, 500n, blockTime + HOUR, 0],
      );
      expect((await stored(f, f.owner.account.address, f.token.address, f.spender.account.address)).expiration).to.equal(
        blockTime + HOUR,
      );
    });

    it("the grant helpers are clamped too: the stored expiration is the capped one, not the one requested", async function () {
      const f = await networkHelpers.loadFixture(deployRouter);
      await f.router.write.setMaxDuration([HOUR]);
      const blockTime = (await time.latest()) + 10;
      await time.setNextBlockTimestamp(blockTime);
      const { hash, expiresAt } = await grant(f.owner, {
        router: f.router.address,
        token: f.token.address,
        spender: f.spender.account.address,
        amount: 1n,
        expiresIn: 7 * DAY,
      });
      expect(expiresAt).to.be.greaterThan(blockTime + HOUR);
      await viem.assertions.emitWithArgs(hash, f.router, "Approval", [
        f.owner.account.address,
        f.token.address,
        f.spender.account.address,
        1n,
        blockTime + HOUR,
      ]);
    });

    it("a cap of 0 removes the cap", async function () {
      const f = await networkHelpers.loadFixture(deployRouter);
      await f.router.write.setMaxDuration([HOUR]);
      await viem.assertions.emitWithArgs(f.router.write.setMaxDuration([0]), f.router, "MaxDurationSet", [
        f.owner.account.address,
        0,
      ]);
      const farFuture = (await time.latest()) + 365 * DAY;
      await f.router.write.approve([f.token.address, f.spender.account.address, 100n, farFuture]);
      expect((await stored(f, f.owner.account.address, f.token.address, f.spender.account.address)).expiration).to.equal(farFuture);
    });
  });

  describe("guardian", function () {
    async function deployWithGrants() {
      const f = await deployRouter();
      const expiration = (await time.latest()) + DAY;
      await f.router.write.approve([f.token.address, f.spender.account.address, 100n, expiration]);
      await f.router.write.approve([f.otherToken.address, f.spender.account.address, 200n, expiration]);
      return { ...f, expiration };
    }

    it("the appointed guardian locks the owner's grants down and voids their permits: Lockdown and NonceInvalidation per pair, then GuardianLockdown", async function () {
      const f = await networkHelpers.loadFixture(deployWithGrants);
      await viem.assertions.emitWithArgs(f.router.write.setGuardian([f.guardian.account.address]), f.router, "GuardianSet", [
        f.owner.account.address,
        f.guardian.account.address,
      ]);
      expect((await f.router.read.settingsOf([f.owner.account.address]))[0].toLowerCase()).to.equal(
        f.guardian.account.address.toLowerCase(),
      );

      const pairs = [f.token.address, f.otherToken.address].map((token) => ({ token, spender: f.spender.account.address }));
      const hash = await f.router.write.lockdownFor([f.owner.account.address, pairs], { account: f.guardian.account });
      for (const { token, spender } of pairs) {
        await viem.assertions.emitWithArgs(hash, f.router, "Lockdown", [f.owner.account.address, token, spender]);
        // The guardian's lockdown also voids the owner's signed permits: the nonce moves on by one.
        await viem.assertions.emitWithArgs(hash, f.router, "NonceInvalidation", [f.owner.account.address, token, spender, 1, 0]);
        expect(await stored(f, f.owner.account.address, token, spender)).to.deep.equal({
          amount: 0n,
          expiration: f.expiration,
          nonce: 1,
        });
      }
      await viem.assertions.emitWithArgs(hash, f.router, "GuardianLockdown", [
        f.owner.account.address,
        f.guardian.account.address,
        2n,
      ]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.router.write.transferFrom([f.owner.account.address, f.spender.account.address, 1n, f.token.address], {
          account: f.spender.account,
        }),
        f.router,
        "InsufficientAllowance",
        [0n],
      );
    });

    it("anyone else gets NotGuardian(caller, owner), with or without a guardian appointed, and nothing changes", async function () {
      const f = await networkHelpers.loadFixture(deployWithGrants);
      const pairs = [{ token: f.token.address, spender: f.spender.account.address }];
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.router.write.lockdownFor([f.owner.account.address, pairs], { account: f.guardian.account }),
        f.router,
        "NotGuardian",
        [f.guardian.account.address, f.owner.account.address],
      );

      await f.router.write.setGuardian([f.guardian.account.address]);
      for (const caller of [f.stranger, f.spender]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          f.router.write.lockdownFor([f.owner.account.address, pairs], { account: caller.account }),
          f.router,
          "NotGuardian",
          [caller.account.address, f.owner.account.address],
        );
      }

      await f.router.write.setGuardian([zeroAddress]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.router.write.lockdownFor([f.owner.account.address, pairs], { account: f.guardian.account }),
        f.router,
        "NotGuardian",
        [f.guardian.account.address, f.owner.account.address],
      );
      expect((await stored(f, f.owner.account.address, f.token.address, f.spender.account.address)).amount).to.equal(100n);
    });

    it("a guardian can neither pull the owner's tokens nor grant on the owner's behalf", async function () {
      const f = await networkHelpers.loadFixture(deployWithGrants);
      await f.router.write.setGuardian([f.guardian.account.address]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.router.write.transferFrom([f.owner.account.address, f.guardian.account.address, 1n, f.token.address], {
          account: f.guardian.account,
        }),
        f.router,
        "AllowanceExpired",
        [0n],
      );
      // approve only ever writes the caller's own grants.
      await f.router.write.approve([f.token.address, f.guardian.account.address, maxUint160, (await time.latest()) + DAY], {
        account: f.guardian.account,
      });
      expect((await stored(f, f.owner.account.address, f.token.address, f.guardian.account.address)).amount).to.equal(0n);
      expect(await f.token.read.balanceOf([f.owner.account.address])).to.equal(MINTED);
    });
  });

  describe("expiry (time travel)", function () {
    it("a spend at exactly the expiration succeeds; one second later reverts with AllowanceExpired(expiration)", async function () {
      const f = await networkHelpers.loadFixture(deployRouter);
      const expiration = (await time.latest()) + DAY;
      await f.router.write.approve([f.token.address, f.spender.account.address, 100n, expiration]);
      const pull = () =>
        f.router.write.transferFrom([f.owner.account.address, f.spender.account.address, 10n, f.token.address], {
          account: f.spender.account,
        });

      await time.setNextBlockTimestamp(expiration);
      await pull();
      expect(await f.token.read.balanceOf([f.spender.account.address])).to.equal(10n);
      expect(await time.latest()).to.equal(expiration);

      await time.setNextBlockTimestamp(expiration + 1);
      await viem.assertions.revertWithCustomErrorWithArgs(pull(), f.router, "AllowanceExpired", [BigInt(expiration)]);
      expect(await f.token.read.balanceOf([f.spender.account.address])).to.equal(10n);
    });
  });

  describe("permit nonces and deadlines", function () {
    it("replaying a used PermitSingle or PermitBatch reverts with InvalidNonce", async function () {
      const f = await networkHelpers.loadFixture(deployRouter);
      const single = await permitSingleFor(f);
      const singleSignature = await signPermitSingle({ signer: f.owner, chainId: f.chainId, router: f.router.address, permit: single });
      await f.router.write.permit([f.owner.account.address, single, singleSignature], { account: f.relayer.account });
      // The spender uses part of the grant; a replay must not restore it.
      await f.router.write.transferFrom([f.owner.account.address, f.spender.account.address, 400n, f.token.address], {
        account: f.spender.account,
      });
      await viem.assertions.revertWithCustomError(
        f.router.write.permit([f.owner.account.address, single, singleSignature], { account: f.relayer.account }),
        f.router,
        "InvalidNonce",
      );
      expect((await stored(f, f.owner.account.address, f.token.address, f.spender.account.address)).amount).to.equal(100n);

      const now = await time.latest();
      const batch: PermitBatch = {
        details: [details(f.otherToken.address, 5n, now + DAY)],
        spender: f.spender.account.address,
        sigDeadline: BigInt(now + HOUR),
      };
      const batchSignature = await signPermitBatch({ signer: f.owner, chainId: f.chainId, router: f.router.address, permit: batch });
      await f.router.write.permit([f.owner.account.address, batch, batchSignature], { account: f.relayer.account });
      await viem.assertions.revertWithCustomError(
        f.router.write.permit([f.owner.account.address, batch, batchSignature], { account: f.relayer.account }),
        f.router,
        "InvalidNonce",
      );
    });

    it("a permit is accepted at exactly its sigDeadline and reverts with SignatureExpired(sigDeadline) one second later", async function () {
      const f = await networkHelpers.loadFixture(deployRouter);
      const permit = await permitSingleFor(f);
      const signature = await signPermitSingle({ signer: f.owner, chainId: f.chainId, router: f.router.address, permit });
      const later = { ...permit, details: { ...permit.details, nonce: 1 } };
      const laterSignature = await signPermitSingle({ signer: f.owner, chainId: f.chainId, router: f.router.address, permit: later });

      await time.setNextBlockTimestamp(permit.sigDeadline);
      await f.router.write.permit([f.owner.account.address, permit, signature], { account: f.relayer.account });

      await time.setNextBlockTimestamp(later.sigDeadline + 1n);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.router.write.permit([f.owner.account.address, later, laterSignature], { account: f.relayer.account }),
        f.router,
        "SignatureExpired",
        [later.sigDeadline],
      );
      expect((await stored(f, f.owner.account.address, f.token.address, f.spender.account.address)).nonce).to.equal(1);
    });
  });

  describe("allowances batch view", function () {
    it("returns each pair's stored grant in order, zero for a pair never granted", async function () {
      const f = await networkHelpers.loadFixture(deployRouter);
      const expiration = (await time.latest()) + DAY;
      await f.router.write.approve([f.token.address, f.spender.account.address, 11n, expiration]);
      const permit = await permitSingleFor(f, { token: f.otherToken.address, amount: UNLIMITED_AMOUNT });
      const signature = await signPermitSingle({ signer: f.owner, chainId: f.chainId, router: f.router.address, permit });
      await f.router.write.permit([f.owner.account.address, permit, signature], { account: f.relayer.account });

      const pairs = [
        { token: f.otherToken.address, spender: f.spender.account.address },
        { token: f.token.address, spender: f.stranger.account.address },
        { token: f.token.address, spender: f.spender.account.address },
      ];
      const batch = await f.router.read.allowances([f.owner.account.address, pairs]);
      expect(batch).to.deep.equal([
        { amount: UNLIMITED_AMOUNT, expiration: permit.details.expiration, nonce: 1 },
        { amount: 0n, expiration: 0, nonce: 0 },
        { amount: 11n, expiration, nonce: 0 },
      ]);
      for (const [index, { token, spender }] of pairs.entries()) {
        expect(batch[index]).to.deep.equal(await stored(f, f.owner.account.address, token, spender));
      }
      expect(await f.router.read.allowances([f.owner.account.address, []])).to.deep.equal([]);
    });
  });

  describe("grant helpers", function () {
    function grantParameters(f: Fixture) {
      return {
        router: f.router.address,
        token: f.token.address,
        spender: f.spender.account.address,
        amount: 1_000n,
      };
    }

    it("grant with expiresIn approves until the latest block's time + expiresIn", async function () {
      const f = await networkHelpers.loadFixture(deployRouter);
      const latest = await time.latest();
      const { hash, expiresAt } = await grant(f.owner, { ...grantParameters(f), expiresIn: 2n * BigInt(DAY) });
      expect(expiresAt).to.equal(latest + 2 * DAY);
      await viem.assertions.emitWithArgs(hash, f.router, "Approval", [
        f.owner.account.address,
        f.token.address,
        f.spender.account.address,
        1_000n,
        expiresAt,
      ]);
      expect(await stored(f, f.owner.account.address, f.token.address, f.spender.account.address)).to.deep.equal({
        amount: 1_000n,
        expiration: expiresAt,
        nonce: 0,
      });
    });

    it("grant with expiresAt (number or bigint) approves until exactly that time", async function () {
      const f = await networkHelpers.loadFixture(deployRouter);
      const at = (await time.latest()) + 3 * DAY;
      expect((await grant(f.owner, { ...grantParameters(f), expiresAt: at })).expiresAt).to.equal(at);
      expect((await stored(f, f.owner.account.address, f.token.address, f.spender.account.address)).expiration).to.equal(at);
      await grant(f.owner, { ...grantParameters(f), token: f.otherToken.address, expiresAt: BigInt(at + 1) });
      expect((await stored(f, f.owner.account.address, f.otherToken.address, f.spender.account.address)).expiration).to.equal(
        at + 1,
      );
    });

    it("grant rejects bad input with typed errors, sending nothing", async function () {
      const f = await networkHelpers.loadFixture(deployRouter);
      const sentBefore = await f.publicClient.getTransactionCount({ address: f.owner.account.address });
      const base = grantParameters(f);
      const latest = await time.latest();

      const past = await rejectionOf(grant(f.owner, { ...base, expiresAt: latest - 1 }));
      expect(past).to.be.instanceOf(ExpirationInPastError).and.instanceOf(RouterInputError);
      expect(past.shortMessage).to.equal(
        `expiresAt ${latest - 1} is not after the latest block's time ${latest}: pass a later expiresAt, or a positive expiresIn.`,
      );
      expect(await rejectionOf(grant(f.owner, { ...base, expiresAt: latest }))).to.be.instanceOf(ExpirationInPastError);
      expect(await rejectionOf(grant(f.owner, { ...base, expiresIn: 0 }))).to.be.instanceOf(ExpirationInPastError);
      expect(await rejectionOf(grant(f.owner, { ...base, expiresIn: -1 }))).to.be.instanceOf(OutOfRangeError);
      expect(await rejectionOf(grant(f.owner, { ...base, expiresIn: 1.5 }))).to.be.instanceOf(OutOfRangeError);
      expect(await rejectionOf(grant(f.owner, { ...base, expiresIn: 2n ** 48n - 1n }))).to.be.instanceOf(OutOfRangeError);
      expect(await rejectionOf(grant(f.owner, { ...base, expiresAt: 2n ** 48n }))).to.be.instanceOf(OutOfRangeError);

      const zeroSpender = await rejectionOf(grant(f.owner, { ...base, spender: zeroAddress, expiresIn: DAY }));
      expect(zeroSpender).to.be.instanceOf(ZeroAddressError);
      expect(zeroSpender.shortMessage).to.equal("spender is the zero address: pass the real spender address.");
      expect(await rejectionOf(grant(f.owner, { ...base, token: zeroAddress, expiresIn: DAY }))).to.be.instanceOf(ZeroAddressError);
      expect(await rejectionOf(grant(f.owner, { ...base, router: "0xnot-an-address" as Address, expiresIn: DAY }))).to.be.instanceOf(
        NotAnAddressError,
      );
      const zeroAmount = await rejectionOf(grant(f.owner, { ...base, amount: 0n, expiresIn: DAY }));
      expect(zeroAmount).to.be.instanceOf(OutOfRangeError);
      expect(zeroAmount.shortMessage).to.equal(`amount must be a whole number from 1 to ${maxUint160}, got 0.`);
      expect(await rejectionOf(grant(f.owner, { ...base, amount: maxUint160 + 1n, expiresIn: DAY }))).to.be.instanceOf(OutOfRangeError);

      const bothExpiries = { ...base, expiresIn: DAY, expiresAt: latest + DAY } as unknown as Parameters<typeof grant>[1];
      const choice = await rejectionOf(grant(f.owner, bothExpiries));
      expect(choice).to.be.instanceOf(ExpiryChoiceError);
      expect(choice.shortMessage).to.equal("Pass exactly one of expiresIn (seconds from now) or expiresAt (unix time in seconds).");
      expect(await rejectionOf(grant(f.owner, base as unknown as Parameters<typeof grant>[1]))).to.be.instanceOf(ExpiryChoiceError);

      const accountless = { ...f.owner, account: undefined } as unknown as typeof f.owner;
      expect(await rejectionOf(grant(accountless, { ...base, expiresIn: DAY }))).to.be.instanceOf(MissingAccountError);

      expect(await f.publicClient.getTransactionCount({ address: f.owner.account.address })).to.equal(sentBefore);
      expect(await stored(f, f.owner.account.address, f.token.address, f.spender.account.address)).to.deep.equal({
        amount: 0n,
        expiration: 0,
        nonce: 0,
      });
    });

    it("grantByPermit signs at the current nonce and sends nothing; a relayer submits what it returns", async function () {
      const f = await networkHelpers.loadFixture(deployRouter);
      const ownerSent = await f.publicClient.getTransactionCount({ address: f.owner.account.address });
      const latest = await time.latest();
      const signed = await grantByPermit(f.owner, { ...grantParameters(f), expiresIn: DAY });

      expect(signed.hash).to.equal(undefined);
      expect(signed.owner.toLowerCase()).to.equal(f.owner.account.address.toLowerCase());
      expect(signed.permitSingle).to.deep.equal({
        details: { token: f.token.address, amount: 1_000n, expiration: latest + DAY, nonce: 0 },
        spender: f.spender.account.address,
        sigDeadline: BigInt(latest) + DEFAULT_SIGNATURE_LIFETIME,
      });
      expect(size(signed.signature)).to.equal(65);
      expect(await stored(f, f.owner.account.address, f.token.address, f.spender.account.address)).to.deep.equal({
        amount: 0n,
        expiration: 0,
        nonce: 0,
      });

      await viem.assertions.emitWithArgs(
        submitPermit(f.relayer, { router: f.router.address, signedPermit: signed }),
        f.router,
        "Permit",
        [f.owner.account.address, f.token.address, f.spender.account.address, 1_000n, latest + DAY, 0],
      );
      expect(await f.publicClient.getTransactionCount({ address: f.owner.account.address })).to.equal(ownerSent);
    });

    it("grantByPermit with a relayer submits, and the next grant signs the next nonce", async function () {
      const f = await networkHelpers.loadFixture(deployRouter);
      const first = await grantByPermit(f.owner, { ...grantParameters(f), expiresAt: (await time.latest()) + DAY, relayer: f.relayer });
      expect(first.hash).to.not.equal(undefined);
      await viem.assertions.emit(first.hash!, f.router, "Permit");
      const sender = await f.publicClient.getTransaction({ hash: first.hash! });
      expect(sender.from.toLowerCase()).to.equal(f.relayer.account.address.toLowerCase());

      const latest = await time.latest();
      const second = await grantByPermit(f.owner, { ...grantParameters(f), amount: 7n, expiresIn: HOUR, signatureExpiresIn: 60n, relayer: f.relayer });
      expect(second.permitSingle.details.nonce).to.equal(1);
      expect(second.permitSingle.details.expiration).to.equal(latest + HOUR);
      expect(second.permitSingle.sigDeadline).to.equal(BigInt(latest) + 60n);
      expect(await stored(f, f.owner.account.address, f.token.address, f.spender.account.address)).to.deep.equal({
        amount: 7n,
        expiration: second.permitSingle.details.expiration,
        nonce: 2,
      });
    });

    it("grantByPermit rejects bad input with typed errors, signing and sending nothing", async function () {
      const f = await networkHelpers.loadFixture(deployRouter);
      const relayerSent = await f.publicClient.getTransactionCount({ address: f.relayer.account.address });
      const base = { ...grantParameters(f), relayer: f.relayer };
      const latest = await time.latest();

      expect(await rejectionOf(grantByPermit(f.owner, { ...base, expiresAt: latest }))).to.be.instanceOf(ExpirationInPastError);
      expect(await rejectionOf(grantByPermit(f.owner, { ...base, spender: zeroAddress, expiresIn: DAY }))).to.be.instanceOf(ZeroAddressError);
      expect(await rejectionOf(grantByPermit(f.owner, { ...base, owner: zeroAddress, expiresIn: DAY }))).to.be.instanceOf(ZeroAddressError);
      expect(await rejectionOf(grantByPermit(f.owner, { ...base, expiresIn: DAY, signatureExpiresIn: 0 }))).to.be.instanceOf(OutOfRangeError);
      const accountless = { ...f.relayer, account: undefined } as unknown as typeof f.relayer;
      expect(await rejectionOf(grantByPermit(f.owner, { ...base, relayer: accountless, expiresIn: DAY }))).to.be.instanceOf(
        MissingAccountError,
      );

      expect(await f.publicClient.getTransactionCount({ address: f.relayer.account.address })).to.equal(relayerSent);
      expect((await stored(f, f.owner.account.address, f.token.address, f.spender.account.address)).nonce).to.equal(0);
    });
  });
});
