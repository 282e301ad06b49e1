// Runs the scanner benchmark alone: `npx hardhat run scripts/bench/run-scanner.ts`.
import { benchScanner } from "./scanner.js";

console.log(await benchScanner());
