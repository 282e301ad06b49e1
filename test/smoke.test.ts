import { network } from "hardhat";
import { expect } from "chai";
describe("smoke", () => { it("deploys", async () => { const { viem } = await network.create(); const s = await viem.deployContract("Smoke"); await s.write.inc(); expect(await s.read.x()).to.equal(1n); }); });
