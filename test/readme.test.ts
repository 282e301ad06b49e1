// README.md's command-line samples are real output: every ```sh block that runs `npx allowance`
// against the revoke demo chain (scripts/seed-revoke-demo.ts, http://127.0.0.1:8547) or against
// `npm start`'s dashboard demo chain (http://127.0.0.1:8545) is run here, top to bottom on freshly
// seeded chains as a reader would, and the ```text block right after it must equal what the
// commands print — up to transaction hashes and clock times, which differ on every run. Blocks for
// other nodes (a public RPC, a long-running server) are not run.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { expect } from "chai";

import { startDemoWorld, type DemoWorld } from "../scripts/dashboard/demo-world.js";
import { runInProcess, serveCliWorld, type CliWorld } from "./fixtures/cli-world.js";

const README = fileURLToPath(new URL("../README.md", import.meta.url));
const DEMO_RPC = "http://127.0.0.1:8547";
const DASHBOARD_DEMO_RPC = "http://127.0.0.1:8545";

export interface ReadmeSample {
  line: number;
  commands: string[];
  /** The ```text block after the commands; null for a block that only sets variables. */
  expected: string | null;
}

/**
 * Each ```sh block that runs `npx allowance` or exports an ALLOWANCE_ variable, continuation lines
 * joined and comments dropped, with the ```text block right after it.
 */
export function readmeSamples(markdown: string): ReadmeSample[] {
  const blocks = [...markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((match) => ({
    info: match[1]!,
    body: match[2]!,
    line: markdown.slice(0, match.index).split("\n").length,
  }));
  const samples: ReadmeSample[] = [];
  blocks.forEach((block, index) => {
    const next = blocks[index + 1];
    if (block.info !== "sh") return;
    const runsOnADemoChain = /npx allowance/.test(block.body) && (block.body.includes(DEMO_RPC) || block.body.includes(DASHBOARD_DEMO_RPC));
    if (!runsOnADemoChain && !/export ALLOWANCE_/.test(block.body)) return;
    const commands = block.body
      .replace(/\\\n\s*/g, "")
      .split("\n")
      .map((line) => line.replace(/\s+#.*$/, "").trim())
      .filter((line) => line !== "" && !line.startsWith("#"));
    samples.push({ line: block.line, commands, expected: next?.info === "text" ? next.body : null });
  });
  return samples;
}

/**
 * What differs on every run: transaction hashes, clock times, the seconds of a duration, how
 * many blocks a scan read anew (that depends on what the reader's cache already holds), and the
 * gas of transactions carrying a permit signature (its deadline follows the clock, and calldata
 * gas follows the signature's zero bytes).
 */
export function normalise(text: string): string {
  return text
    .replace(/(permit: )[\d,]+ gas/g, "$1<gas> gas")
    .replace(/(by the owner's permit, .*: transaction 0x[0-9a-f]{64}, )[\d,]+ gas/g, "$1<gas> gas")
    .replace(/\(\d+ read now, the rest from the cache\)/g, "(<n> read now, the rest from the cache)")
    .replace(/0x[0-9a-f]{64}/g, "0x<hash>")
    .replace(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC/g, "<time> UTC")
    .replace(/(\d+m) \d+s;/g, "$1 <s>s;")
    .replace(/\.corrupt-[0-9TZ-]+/g, ".corrupt-<time>");
}

describe("README command-line samples (issue 9, README)", function () {
  let cli: CliWorld;
  let dashboardDemo: DemoWorld;

  before(async function () {
    cli = await serveCliWorld("allowance-readme-");
    dashboardDemo = await startDemoWorld({ chainPort: 0, dashboardPort: 0 });
  });

  after(async function () {
    await dashboardDemo?.stop();
    await cli?.dispose();
  });

  it("runs every `npx allowance` block as written, in order, and prints exactly the sample after it", async function () {
    const samples = readmeSamples(readFileSync(README, "utf8"));
    expect(samples.length, "README samples").to.be.at.least(5);
    const env: Record<string, string> = {};
    for (const sample of samples) {
      let transcript = "";
      for (const command of sample.commands) {
        const exported = /^export (\w+)=(\S+)$/.exec(command);
        if (exported !== null) {
          env[exported[1]!] = exported[2]!;
          continue;
        }
        const match = /^((?:\w+=\S+ )*)npx allowance (.*)$/.exec(command);
        expect(match, `README line ${sample.line}: ${command}`).to.not.equal(null);
        const inline = Object.fromEntries([...match![1]!.matchAll(/(\w+)=(\S+) /g)].map(([, name, value]) => [name!, value!]));
        const args = match![2]!.replaceAll(DEMO_RPC, cli.node.url).replaceAll(DASHBOARD_DEMO_RPC, dashboardDemo.rpcUrl).split(/\s+/);
        // A prompt is answered "y", as the sample shows.
        const run = await runInProcess(args, { ...env, ...inline }, "y\n");
        const [plan, outcome] = run.stdout.split(/(?=\noutcome )/);
        transcript += outcome === undefined ? `${run.stderr}${run.stdout}` : `${plan}${run.stderr.trimEnd()} y\n${outcome}`;
      }
      if (sample.expected === null) {
        expect(transcript, `README line ${sample.line} prints nothing`).to.equal("");
        continue;
      }
      const asPrinted = transcript.replaceAll(cli.node.url, DEMO_RPC).replaceAll(dashboardDemo.rpcUrl, DASHBOARD_DEMO_RPC);
      expect(normalise(asPrinted), `README line ${sample.line}`).to.equal(normalise(sample.expected));
    }
  });
});
