import { fileURLToPath } from "node:url";

import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// The dashboard imports the SDK as a dapp would, through the package's own entries: the built
// ESM in dist/ (`npm run build`), exactly what `allowance-router` and `allowance-router/abi` export.
const packageEntries = [
  { find: /^allowance-router\/abi$/, replacement: here("../dist/abi/index.js") },
  { find: /^allowance-router$/, replacement: here("../dist/index.js") },
];

export default defineConfig({
  root: here("."),
  base: "./",
  plugins: [react()],
  resolve: { alias: packageEntries },
  build: { outDir: here("dist"), emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 2000 },
  server: { host: "127.0.0.1" },
});
