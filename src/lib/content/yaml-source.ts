import { isMap, isNode, isPair, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { Problem } from './problems';

/** A parsed YAML text that can say on which line a field sits. */
export interface YamlSource {
	file: string;
	data: unknown;
	/** Line of the value at `path`, or of its nearest parent that exists. */
	lineOf(path: readonly (string | number)[]): number | undefined;
}

/**
 * Parses YAML; on a syntax error returns problems instead of a document.
 * `lineOffset` places frontmatter lines at their line in the whole lesson file.
 */
export function parseYaml(
	file: string,
	text: string,
	lineOffset = 0,
	fieldPrefix?: string
): { source?: YamlSource; problems: Problem[] } {
	const counter = new LineCounter();
	const doc = parseDocument(text, { lineCounter: counter, prettyErrors: true, uniqueKeys: true });
	if (doc.errors.length > 0) {
		const problems = doc.errors.map((e) => ({
			file,
			line: (e.linePos?.[0].line ?? 1) + lineOffset,
			field: fieldPrefix,
			message: `YAML mal formé (colonne ${e.linePos?.[0].col ?? 1}) : ${explainYamlError(e.code)}`,
			severity: 'error' as const
		}));
		// The parser may report one mistake several times at the same place.
		const seen = new Set<string>();
		return {
			problems: problems.filter(
				(p) => !seen.has(`${p.line}:${p.message}`) && !!seen.add(`${p.line}:${p.message}`)
			)
		};
	}
	const lineAt = (offset: number) => counter.linePos(offset).line + lineOffset;
	return {
		problems: [],
		source: { file, data: doc.toJS(), lineOf: (path) => locate(doc, path, lineAt) }
	};
}

function locate(
	doc: Document,
	path: readonly (string | number)[],
	lineAt: (offset: number) => number
): number | undefined {
	for (let n = path.length; n >= 0; n--) {
		const parentPath = path.slice(0, Math.max(0, n - 1));
		const parent = n === 0 ? doc.contents : doc.getIn(parentPath, true);
		const key = path[n - 1];
		if (n > 0 && isMap(parent)) {
			// Point at the key itself, so an unknown or mistyped field is found on its own line.
			const pair = parent.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key);
			if (pair && isNode(pair.key) && pair.key.range) return lineAt(pair.key.range[0]);
			continue;
		}
		const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
		if (isNode(node) && node.range) return lineAt(node.range[0]);
	}
	return undefined;
}

function explainYamlError(code: string): string {
	switch (code) {
		case 'DUPLICATE_KEY':
			return 'une clé apparaît deux fois dans le même bloc ; dans { … }, mettez entre guillemets un texte qui contient une virgule';
		case 'TAB_AS_INDENT':
			return "une tabulation sert d'indentation : utilisez des espaces";
		case 'BLOCK_AS_IMPLICIT_KEY':
		case 'MULTILINE_IMPLICIT_KEY':
			return 'il manque sans doute un deux-points après une clé, ou un texte sur plusieurs lignes devrait être entre guillemets';
		case 'MISSING_CHAR':
		case 'UNEXPECTED_TOKEN':
		case 'BAD_INDENT':
		default:
			return "vérifiez l'indentation (des espaces alignés), les deux-points après chaque clé et les guillemets autour des textes qui contiennent « : » ou « # »";
	}
}
