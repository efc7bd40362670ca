import type * as v from 'valibot';

/** What a value is, in words an author understands. */
export function describeValue(value: unknown): string {
	if (value === undefined) return 'rien';
	if (value === null) return 'une valeur vide';
	if (Array.isArray(value))
		return value.length === 0 ? 'une liste vide' : `une liste de ${value.length} élément(s)`;
	switch (typeof value) {
		case 'string':
			return value.trim() === ''
				? 'un texte vide'
				: `le texte « ${value.length > 40 ? value.slice(0, 40) + '…' : value} »`;
		case 'number':
			return `le nombre ${value}`;
		case 'boolean':
			return value ? 'true' : 'false';
		case 'object':
			return 'un ensemble de champs';
		default:
			return typeof value;
	}
}

/** Turns a valibot issue into "what was expected, what was found". */
export function describeIssue(issue: v.BaseIssue<unknown>): string {
	const last = issue.path?.at(-1);
	if (last?.origin === 'key') {
		return issue.input === undefined
			? `champ obligatoire « ${String(last.key)} » manquant`
			: `champ inconnu « ${String(last.key)} » : vérifiez son orthographe ou retirez-le (voir docs/authoring.md)`;
	}
	return `attendu ${issue.message}, trouvé ${describeValue(issue.input)}`;
}
