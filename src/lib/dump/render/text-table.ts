// Plain-text column layout in the style of istioctl's tabwriter output: a header row, columns separated by
// two spaces, no borders, no colour (the caller colours). A cell may hold several lines (weighted clusters).

export interface TextTableColumn {
  header: string
  align?: 'left' | 'right'
}

const GAP = '  '

export function renderTextTable(columns: readonly TextTableColumn[], rows: ReadonlyArray<readonly string[]>): string {
  const cellLines = rows.map((row) => columns.map((_, i) => (row[i] ?? '').split('\n')))
  const widths = columns.map((column, i) => Math.max(column.header.length, ...cellLines.map((row) => Math.max(...row[i].map((line) => line.length)))))
  const format = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (columns[i].align === 'right' ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join(GAP)
      .trimEnd()
  const lines = [format(columns.map((c) => c.header))]
  for (const row of cellLines) {
    const height = Math.max(...row.map((cell) => cell.length))
    for (let line = 0; line < height; line++) lines.push(format(row.map((cell) => cell[line] ?? '')))
  }
  return lines.join('\n')
}
