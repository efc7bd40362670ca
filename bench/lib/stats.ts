/** Median of a list (the mean of the two middle values when even); NaN when empty. */
export function median(values: number[]): number {
	if (!values.length) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** "min–max, n runs", in the unit given, with `digits` decimals. */
export function spread(values: number[], unit: string, digits = 0): string {
	if (!values.length) return 'no run';
	const f = (n: number) => n.toFixed(digits);
	return `${f(Math.min(...values))}–${f(Math.max(...values))} ${unit}, ${values.length} runs`;
}
