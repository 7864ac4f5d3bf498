// Plain-text column layout in the style of istioctl's tabwriter output: a header row, columns separated by
// two spaces, no borders. No colour of its own: a caller that wants colour passes `decorate`, which is applied
// to each cell line before padding; widths ignore ANSI escapes so coloured cells still line up.

export interface TextTableColumn {
  header: string
  align?: 'left' | 'right'
}

export interface CellContext {
  /** Column header, e.g. `STATUS`. */
  column: string
  /** Row index in the data rows; -1 for the header. */
  row: number
}

export interface TextTableOptions {
  decorate?: (text: string, cell: CellContext) => string
}

const GAP = '  '
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g

function visibleLength(text: string): number {
  return text.includes('\u001b') ? text.replace(ANSI, '').length : text.length
}

function pad(text: string, width: number, align: 'left' | 'right' | undefined): string {
  const fill = ' '.repeat(Math.max(0, width - visibleLength(text)))
  return align === 'right' ? fill + text : text + fill
}

export function renderTextTable(columns: readonly TextTableColumn[], rows: ReadonlyArray<readonly string[]>, options: TextTableOptions = {}): string {
  const cellLines = rows.map((row) => columns.map((_, i) => (row[i] ?? '').split('\n')))
  const widths = columns.map((column, i) => Math.max(visibleLength(column.header), ...cellLines.map((row) => Math.max(...row[i].map(visibleLength)))))
  const decorate = options.decorate
  const format = (cells: readonly string[], row: number): string =>
    cells
      .map((cell, i) => pad(decorate && cell !== '' ? decorate(cell, {column: columns[i].header, row}) : cell, widths[i], columns[i].align))
      .join(GAP)
      .trimEnd()
  const lines = [format(columns.map((c) => c.header), -1)]
  cellLines.forEach((row, rowIndex) => {
    const height = Math.max(...row.map((cell) => cell.length))
    for (let line = 0; line < height; line++) lines.push(format(row.map((cell) => cell[line] ?? ''), rowIndex))
  })
  return lines.join('\n')
}
