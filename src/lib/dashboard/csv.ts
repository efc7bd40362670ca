// CSV for spreadsheets as French offices use them: UTF-8 with a byte-order mark (without it
// Excel reads « Keïta » as « KeÃ¯ta »), CRLF line ends, and an optional semicolon separator with
// decimal commas (what Excel expects in a French locale).

export type Separator = ',' | ';';
export type Cell = string | number | null | undefined;

export const BOM = '\uFEFF';

/** The separator a request asks for: `;` when `sep` is `;` or `semicolon`, `,` otherwise. */
export function separatorOf(value: string | null): Separator {
	return value === ';' || value === 'semicolon' || value === 'point-virgule' ? ';' : ',';
}

function cellText(cell: Cell, separator: Separator): string {
	if (cell === null || cell === undefined) return '';
	if (typeof cell === 'number') {
		const text = Number.isFinite(cell) ? String(Math.round(cell * 1000) / 1000) : '';
		return separator === ';' ? text.replace('.', ',') : text;
	}
	// A cell that starts like a formula would run in the spreadsheet: it is kept as text.
	return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

function quoted(text: string, separator: Separator): string {
	return text.includes(separator) || /["\r\n]/.test(text) || text !== text.trim()
		? `"${text.replaceAll('"', '""')}"`
		: text;
}

/** One CSV line, without its line end. */
export function csvLine(cells: readonly Cell[], separator: Separator = ','): string {
	return cells.map((c) => quoted(cellText(c, separator), separator)).join(separator);
}

/** A whole CSV file: BOM, header, rows, CRLF after every line. */
export function toCsv(
	header: readonly Cell[],
	rows: Iterable<readonly Cell[]>,
	separator: Separator = ','
): string {
	const lines = [csvLine(header, separator)];
	for (const row of rows) lines.push(csvLine(row, separator));
	return BOM + lines.join('\r\n') + '\r\n';
}
