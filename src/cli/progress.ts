import type { ScanProgress } from "../scan/scan.js";

/** The part of a terminal stream the bar needs. */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export interface ProgressBar {
  update(progress: ScanProgress): void;
  /** Clears the bar's line. */
  finish(): void;
}

const BAR_WIDTH = 30;
/** Redraws at most this often; a large scan reports thousands of ranges. */
const REDRAW_MS = 80;

const grouped = (value: bigint) => value.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");

export function progressLine(progress: ScanProgress): string {
  const { phase, done, total } = progress;
  if (phase !== "logs") {
    const label = { confirm: "reading approvals on-chain", usage: "attributing pulls", spenders: "checking spenders" }[phase];
    return `${label} (${grouped(total)})…`;
  }
  const ratio = total === 0n ? 1 : Number((done * 1000n) / total) / 1000;
  const filled = Math.round(ratio * BAR_WIDTH);
  return `[${"#".repeat(filled)}${".".repeat(BAR_WIDTH - filled)}] ${Math.floor(ratio * 100)}% blocks ${grouped(done)}/${grouped(total)}`;
}

/**
 * A one-line progress bar redrawn in place on `stream`, or nothing at all when the stream is
 * not a terminal (a pipe or a file gets only the final output).
 */
export function createProgressBar(stream: ProgressStream, now: () => number = Date.now): ProgressBar {
  if (!stream.isTTY) return { update() {}, finish() {} };
  let lastDraw = -Infinity;
  let lastPhase: ScanProgress["phase"] | null = null;
  let drawn = false;
  const clear = "\r\x1b[K";
  return {
    update(progress) {
      const time = now();
      if (progress.phase === lastPhase && time - lastDraw < REDRAW_MS && progress.done !== progress.total) return;
      lastDraw = time;
      lastPhase = progress.phase;
      const width = stream.columns ?? 80;
      stream.write(`${clear}${progressLine(progress).slice(0, width - 1)}`);
      drawn = true;
    },
    finish() {
      if (drawn) stream.write(clear);
    },
  };
}
