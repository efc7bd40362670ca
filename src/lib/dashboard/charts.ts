// Data behind the dashboard's two charts, computed once on the server and drawn as plain SVG.

export interface Bin {
	/** Lower bound, in percent (0, 10, … 90); the last bin includes 100. */
	from: number;
	to: number;
	count: number;
}

/** Scores (0–1) counted in ten bins of ten points. */
export function scoreHistogram(scores: Iterable<number>, bins = 10): Bin[] {
	const width = 100 / bins;
	const out = Array.from({ length: bins }, (_, i) => ({
		from: Math.round(i * width),
		to: Math.round((i + 1) * width),
		count: 0
	}));
	for (const s of scores) {
		if (!Number.isFinite(s)) continue;
		const i = Math.min(bins - 1, Math.max(0, Math.floor((s * 100) / width)));
		out[i]!.count++;
	}
	return out;
}

export interface DayPoint {
	/** `YYYY-MM-DD` */
	day: string;
	/** Items done by the end of that day, cumulated. */
	done: number;
	/** done / possible, 0–100, one decimal. */
	percent: number;
}

/**
 * Cumulative completion by day from per-day counts of items done, over `possible` items
 * (learners × items). Days without activity are filled in, so the line's x axis is time.
 */
export function completionSeries(
	perDay: ReadonlyMap<string, number>,
	possible: number,
	today: string
): DayPoint[] {
	const days = [...perDay.keys()].filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d) && d <= today).sort();
	if (days.length === 0 || possible <= 0) return [];
	const points: DayPoint[] = [];
	let done = [...perDay.entries()].filter(([d]) => d < days[0]!).reduce((a, [, n]) => a + n, 0);
	for (let t = Date.parse(days[0]!); ; t += 86_400_000) {
		const day = new Date(t).toISOString().slice(0, 10);
		if (day > today) break;
		done += perDay.get(day) ?? 0;
		points.push({ day, done, percent: Math.round((1000 * done) / possible) / 10 });
	}
	return points;
}
