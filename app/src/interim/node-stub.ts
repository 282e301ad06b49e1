// Interim stand-ins for the node: built-ins the SDK's core still imports (until the package's
// browser-safe build lands). readFileSync serves only the bundled denylist; the rest throw.
import denylist from "../../../src/data/denylist.json?raw";

const unavailable = (name: string) => () => {
  throw new Error(`${name} is not available in the browser`);
};

export const readFileSync = (path: unknown) => {
  if (String(path).includes("denylist") || String(path).startsWith("data:application/json")) return denylist;
  throw new Error(`cannot read ${String(path)} in the browser`);
};
export const mkdirSync = unavailable("mkdirSync");
export const homedir = unavailable("homedir");
export const join = (...parts: string[]) => parts.join("/");
export const dirname = (path: string) => path.slice(0, path.lastIndexOf("/"));
export const createRequire = () => unavailable("require");
export default {};
