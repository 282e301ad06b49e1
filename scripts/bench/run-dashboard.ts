// The dashboard's section of `npm run bench` alone: `npx hardhat run scripts/bench/run-dashboard.ts`
// (DASHBOARD_BASELINE_DIST=<an older app/dist> adds its figures beside the current page's).
import { benchDashboard } from "./dashboard.js";

console.log(await benchDashboard());
