/** One column of a markdown table; numbers read best right-aligned. */
export interface Column {
  readonly title: string;
  readonly align?: "left" | "right";
}

/**
 * A markdown table whose cells are padded to a common width, so the same text
 * reads as a table in a terminal and renders as one in a markdown viewer.
 */
export function markdownTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  for (const row of rows) {
    if (row.length !== columns.length) {
      throw new Error(
        `markdownTable: a row has ${row.length} cells but there are ${columns.length} columns (${columns
          .map((column) => column.title)
          .join(", ")}); give every row one cell per column.`,
      );
    }
  }
  const cells = rows.map((row) => row.map(escapeCell));
  // Three dashes is the shortest separator markdown accepts.
  const widths = columns.map((column, index) =>
    Math.max(3, column.title.length, ...cells.map((row) => row[index].length)),
  );
  const pad = (text: string, index: number) =>
    columns[index].align === "right" ? text.padStart(widths[index]) : text.padEnd(widths[index]);
  const line = (texts: readonly string[]) => `| ${texts.map(pad).join(" | ")} |`;
  const separator = `|${columns
    .map((column, index) =>
      column.align === "right" ? ` ${"-".repeat(widths[index] - 1)}: ` : ` ${"-".repeat(widths[index])} `,
    )
    .join("|")}|`;
  return [line(columns.map((column) => column.title)), separator, ...cells.map(line)].join("\n");
}

/** Gas with thousands separators, the way gas reports and the Permit2 references are written. */
export function formatGas(gas: bigint | number): string {
  return BigInt(gas).toLocaleString("en-US");
}

/** A signed difference, e.g. "+1,204" or "-310", so that a regression stands out. */
export function formatGasDelta(delta: bigint | number): string {
  const value = BigInt(delta);
  return value > 0n ? `+${formatGas(value)}` : formatGas(value);
}

// A pipe inside a cell would end the cell early.
function escapeCell(text: string): string {
  return text.replaceAll("|", "\\|");
}
