import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect } from "chai";
import { chromium } from "playwright-core";

import {
  CHROMIUM_ARGS,
  ChromiumUnavailableError,
  chromiumLaunchOptions,
  ensureChromium,
  findChromium,
  THIS_MACHINE,
  type Machine,
} from "../../scripts/chromium.mjs";

describe("Chromium provisioning (scripts/chromium.mjs)", function () {
  let scratch: string;
  let fakeBinary: string;
  const missing = () => join(scratch, "no-chromium-here");

  before(function () {
    scratch = mkdtempSync(join(tmpdir(), "chromium-"));
    fakeBinary = join(scratch, "chromium");
    writeFileSync(fakeBinary, "");
  });

  after(function () {
    rmSync(scratch, { recursive: true, force: true });
  });

  const machine = (overrides: Partial<Machine>): Machine => ({
    isDebian: () => true,
    isRoot: () => true,
    candidates: [missing()],
    aptGet: () => {
      throw new Error("apt-get must not run");
    },
    ...overrides,
  });

  it("never lets Playwright download a browser of its own", function () {
    expect(process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD).to.equal("1");
  });

  it("prefers CHROMIUM_PATH, and says so when it points nowhere", function () {
    expect(findChromium({ CHROMIUM_PATH: fakeBinary }, [missing()])).to.equal(fakeBinary);
    expect(() => findChromium({ CHROMIUM_PATH: missing() })).to.throw(ChromiumUnavailableError, /^CHROMIUM_PATH=.+ does not exist: point it at a Chromium binary or unset it$/);
  });

  it("finds an installed Chromium without installing anything", function () {
    expect(ensureChromium({ environment: {}, machine: machine({ candidates: [missing(), fakeBinary] }) })).to.equal(fakeBinary);
  });

  it("installs Debian's chromium with apt-get update then install, as root on Debian", function () {
    const calls: string[][] = [];
    const logged: string[] = [];
    const path = ensureChromium({
      environment: {},
      log: (line) => logged.push(line),
      machine: machine({
        candidates: [join(scratch, "installed-chromium")],
        aptGet: (args) => {
          calls.push(args);
          if (args[0] === "install") writeFileSync(join(scratch, "installed-chromium"), "");
        },
      }),
    });
    expect(path).to.equal(join(scratch, "installed-chromium"));
    expect(calls).to.deep.equal([["update"], ["install", "-y", "--no-install-recommends", "chromium"]]);
    expect(logged).to.have.length(1);
  });

  it("stops with one line saying how to install it when not root, or not on Debian", function () {
    for (const overrides of [{ isRoot: () => false }, { isDebian: () => false }]) {
      expect(() => ensureChromium({ environment: {}, machine: machine(overrides) }))
        .to.throw(ChromiumUnavailableError)
        .with.property("message")
        .that.matches(/^Chromium is not installed \(looked for \/usr\/bin\/chromium\): install it with `sudo apt-get install -y chromium` \(Debian\/Ubuntu\), or set CHROMIUM_PATH to a Chromium binary$/);
    }
  });

  it("launches this machine's Chromium headless through playwright-core", async function () {
    const options = chromiumLaunchOptions({ machine: THIS_MACHINE });
    expect(options).to.deep.include({ headless: true, args: [...CHROMIUM_ARGS] });
    const browser = await chromium.launch(options);
    try {
      const page = await browser.newPage();
      await page.setContent("<title>ok</title><p id=p>hello</p>");
      expect(await page.textContent("#p")).to.equal("hello");
      expect(browser.version()).to.match(/^\d+\./);
    } finally {
      await browser.close();
    }
  });
});
