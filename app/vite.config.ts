import { fileURLToPath } from "node:url";

import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// The dashboard imports the SDK only as a dapp would, through the package name. Until the
// package's own browser build lands (issue 8), the names point at the sources, and the few
// node: built-ins the core still reaches are replaced by stubs that throw if ever called.
const interimSdk = {
  "allowance-router": here("../src/index.ts"),
  "node:fs": here("src/interim/node-stub.ts"),
  "node:os": here("src/interim/node-stub.ts"),
  "node:path": here("src/interim/node-stub.ts"),
  "node:module": here("src/interim/node-stub.ts"),
};

export default defineConfig({
  root: here("."),
  base: "./",
  plugins: [react()],
  resolve: { alias: interimSdk },
  build: { outDir: here("dist"), emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 2000 },
  server: { host: "127.0.0.1" },
});
