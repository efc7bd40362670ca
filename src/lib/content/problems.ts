/** One mistake in courses/, told the way an author can act on it. */
export interface Problem {
	/** Path from the project root, e.g. `courses/rss/course.yaml`. */
	file: string;
	/** 1-based line, when the mistake sits on a line. */
	line?: number;
	/** Where in the file: `modules[0].lessons[2]`, or `frontmatter.title`. */
	field?: string;
	/** Plain French: what was expected, what was found. */
	message: string;
	severity: 'error' | 'warning';
}

export function formatProblem(p: Problem): string {
	const where = p.line ? `${p.file}:${p.line}` : p.file;
	const parts = [where, p.field, p.message].filter(Boolean);
	const tag = p.severity === 'warning' ? 'avertissement — ' : '';
	return tag + parts.join(' — ');
}

export function formatReport(problems: Problem[]): string {
	const errors = problems.filter((p) => p.severity === 'error');
	const warnings = problems.filter((p) => p.severity === 'warning');
	const lines = [...errors, ...warnings].map(formatProblem);
	const plural = (n: number, word: string) => `${n} ${word}${n > 1 ? 's' : ''}`;
	lines.push(
		errors.length === 0
			? `Contenu valide (${plural(warnings.length, 'avertissement')}).`
			: `${plural(errors.length, 'erreur')} et ${plural(warnings.length, 'avertissement')} dans courses/. Corrigez les erreurs ci-dessus, puis relancez « npm run content:check ».`
	);
	return lines.join('\n');
}

/** `['modules', 0, 'lessons', 2]` → `modules[0].lessons[2]` */
export function fieldPath(path: readonly (string | number)[]): string {
	return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}
