// Plain-text tables for the terminal.
export type Cell = string | bigint | number;

/// Columns listed in `rightAligned` (amounts) are padded on the left, the others on the right.
export function formatTable(headers: string[], rows: Cell[][], rightAligned: number[] = []): string {
  const text = rows.map((row) => row.map(String));
  const widths = headers.map((header, column) => Math.max(header.length, ...text.map((row) => row[column].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (rightAligned.includes(column) ? cell.padStart(widths[column]) : cell.padEnd(widths[column])))
      .join("  ")
      .trimEnd();
  return [line(headers), line(widths.map((width) => "-".repeat(width))), ...text.map(line)].join("\n");
}
