const MAX_PORT = 65_535;

/**
 * The port in environment variable `name`, or `fallback` when it is unset; 0 means any free
 * port. Returns the one-line complaint instead when the value is not a port.
 */
export function portFromEnvironment(name: string, fallback: number, environment: NodeJS.ProcessEnv = process.env): number | string {
  const raw = environment[name];
  if (raw === undefined || raw === "") return fallback;
  const port = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || port > MAX_PORT) return `${name}=${raw} is not a port: use 0-${MAX_PORT} (0 = any free port)`;
  return port;
}
