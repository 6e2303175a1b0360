/**
 * CSV for spreadsheets (RFC 4180: comma, CRLF, quotes doubled). A cell a spreadsheet would run as a formula
 * (starting with = + - @, tab or CR) gets a leading apostrophe: an audit row's details come from staff input
 * (names, reasons) and must not execute when a manager opens the export.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: readonly (string | number | null)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
