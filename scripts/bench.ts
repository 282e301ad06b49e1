/**
 * `npm run bench`: benchmarks, one markdown section per component, each
 * measured on its own in-process network with its baseline in the same run.
 * A component adds its section with one line in `sections`.
 */
import { benchPackage } from "./bench/package.js";
import { benchRevoker } from "./bench/revoker.js";
import { benchRouter } from "./bench/router.js";
import { benchScanner } from "./bench/scanner.js";

interface Section {
  readonly title: string;
  /** Runs the measurements and returns them as a markdown table. */
  readonly run: () => Promise<string>;
}

const sections: readonly Section[] = [
  { title: "AllowanceRouter vs plain ERC-20 and Permit2", run: benchRouter },
  { title: "BatchRevoker: N ERC-20 revocations, separate transactions vs one EIP-7702 batch", run: benchRevoker },
  { title: "Scanner: 1,000 approvals over 100,000 blocks, vs one allowance() call per pair", run: benchScanner },
  { title: "SDK core in a browser bundle, vs viem's own clients", run: benchPackage },
];

console.log("# Benchmarks: gas (whole transactions, receipt gasUsed) and scan cost\n");
for (const { title, run } of sections) {
  console.log(`## ${title}\n\n${await run()}\n`);
}
