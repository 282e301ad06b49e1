// Plain-text tables for a terminal: columns padded to their widest cell, two spaces apart, and,
// given a width, fitted to it — cells of shrinkable columns truncated first (an address or hash
// in its middle, so both ends stay comparable), then the least useful columns dropped. Machine
// output (--json, --csv) is never fitted.

/** How a column may give way when the table is wider than the terminal. */
export interface ColumnFit {
  /** Shrinks down to this many characters, truncating its cells. */
  min?: number;
  /** Truncate in the middle (addresses, hashes) rather than at the end. */
  middle?: boolean;
  /** May be dropped; the lowest rank goes first, after every column has shrunk to its minimum. */
  dropRank?: number;
}

export type TableLayout = Readonly<Record<string, ColumnFit>>;

const GAP = 2;
const ELLIPSIS = "…";

/** `text` in at most `width` characters, with an ellipsis where it was cut. */
export function truncate(text: string, width: number, middle = false): string {
  if (text.length <= width) return text;
  if (width <= 1) return ELLIPSIS.slice(0, width);
  if (!middle) return `${text.slice(0, width - 1).trimEnd()}${ELLIPSIS}`;
  // A hex value keeps its 0x, and as many digits at each end.
  const prefix = text.startsWith("0x") && width > 3 ? 2 : 0;
  const digits = width - 1 - prefix;
  return `${text.slice(0, prefix + Math.ceil(digits / 2))}${ELLIPSIS}${text.slice(text.length - Math.floor(digits / 2))}`;
}

const totalWidth = (widths: readonly number[]) => widths.reduce((sum, width) => sum + width, 0) + GAP * Math.max(0, widths.length - 1);

/**
 * The header and rows narrowed to `width` (Infinity: as they are): shrinkable columns give up
 * characters, widest first, down to their minimum; then droppable columns go, lowest rank first.
 */
export function fitTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  width: number,
  layout: TableLayout = {},
): { header: string[]; rows: string[][] } {
  let columns = header.map((title, index) => ({
    title,
    index,
    fit: layout[title] ?? {},
    natural: Math.max(title.length, ...rows.map((row) => row[index]!.length)),
    width: 0,
  }));
  for (const column of columns) column.width = column.natural;
  for (;;) {
    const excess = totalWidth(columns.map((column) => column.width)) - width;
    if (excess <= 0) break;
    const shrinkable = columns
      .filter((column) => column.fit.min !== undefined && column.width > Math.max(column.fit.min, column.title.length))
      .sort((a, b) => b.width - a.width)[0];
    if (shrinkable !== undefined) {
      shrinkable.width -= Math.min(excess, shrinkable.width - Math.max(shrinkable.fit.min!, shrinkable.title.length));
      continue;
    }
    const droppable = columns.filter((column) => column.fit.dropRank !== undefined).sort((a, b) => a.fit.dropRank! - b.fit.dropRank!)[0];
    if (droppable === undefined) break;
    columns = columns.filter((column) => column !== droppable);
  }
  // What a dropped column freed goes back to the columns cut the most.
  let slack = width - totalWidth(columns.map((column) => column.width));
  for (const column of [...columns].sort((a, b) => b.natural - b.width - (a.natural - a.width))) {
    const grow = Math.min(slack, column.natural - column.width);
    column.width += grow;
    slack -= grow;
  }
  return {
    header: columns.map((column) => column.title),
    rows: rows.map((row) => columns.map((column) => truncate(row[column.index]!, column.width, column.fit.middle))),
  };
}

/** Columns padded to their widest cell, separated by two spaces; fitted to `width` if given. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[], width = Infinity, layout: TableLayout = {}): string {
  const fitted = fitTable(header, rows, width, layout);
  const widths = fitted.header.map((title, column) => Math.max(title.length, ...fitted.rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join(" ".repeat(GAP)).trimEnd();
  return [line(fitted.header), line(widths.map((columnWidth) => "-".repeat(columnWidth))), ...fitted.rows.map(line)].join("\n");
}

/** Each line of `text` broken at spaces into lines of at most `width` characters (a longer word keeps its own line). */
export function wrapText(text: string, width = Infinity): string {
  if (text.includes("\n")) return text.split("\n").map((line) => wrapText(line, width)).join("\n");
  if (text.length <= width) return text;
  const lines: string[] = [];
  let current = "";
  for (const word of text.split(" ")) {
    if (current !== "" && current.length + 1 + word.length > width) {
      lines.push(current);
      current = word;
    } else current = current === "" ? word : `${current} ${word}`;
  }
  if (current !== "") lines.push(current);
  return lines.join("\n");
}

/** The width to fit output to: the terminal's, or none when the output is not a terminal. */
export function outputWidth(stream: { isTTY?: boolean; columns?: number }): number {
  return stream.isTTY === true && stream.columns !== undefined && stream.columns > 0 ? stream.columns : Infinity;
}
