import * as v from 'valibot';
import { describeIssue } from './describe';
import { fieldPath, type Problem } from './problems';
import { lessonFrontmatterSchema, type LessonFrontmatter } from './schema';
import { createSlugger } from './slug.js';
import { parseYaml } from './yaml-source';

/** The components a lesson may use, and the attributes each one needs. */
export const LESSON_COMPONENTS = {
	Check: { required: ['quiz'], optional: [] },
	Scenario: { required: ['id'], optional: [] },
	Term: { required: ['id'], optional: [] },
	Callout: { required: ['type'], optional: ['title'] }
} as const satisfies Record<string, { required: readonly string[]; optional: readonly string[] }>;
export type LessonComponentName = keyof typeof LESSON_COMPONENTS;
export const CALLOUT_TYPES = ['info', 'retenir', 'attention'] as const;

export interface ComponentUse {
	name: LessonComponentName;
	attributes: Record<string, string>;
	line: number;
}
export interface Heading {
	depth: 2 | 3;
	text: string;
	id: string;
}
export interface ParsedLesson {
	frontmatter?: LessonFrontmatter;
	components: ComponentUse[];
	headings: Heading[];
	problems: Problem[];
}

const error = (
	file: string,
	line: number | undefined,
	field: string | undefined,
	message: string
): Problem => ({
	file,
	line,
	field,
	message,
	severity: 'error'
});

/** Reads a lesson file (`.svx`): its frontmatter, the components it places, its outline. */
export function parseLesson(file: string, text: string): ParsedLesson {
	const lines = text.split(/\r?\n/);
	const problems: Problem[] = [];
	if (lines[0]?.trim() !== '---') {
		problems.push(
			error(
				file,
				1,
				'frontmatter',
				'attendu un en-tête entre deux lignes « --- » au début du fichier, trouvé autre chose en ligne 1'
			)
		);
		return { components: [], headings: [], problems };
	}
	const close = lines.findIndex((l, i) => i > 0 && l.trim() === '---');
	if (close < 0) {
		problems.push(
			error(
				file,
				1,
				'frontmatter',
				"l'en-tête n'est jamais fermé : ajoutez une ligne « --- » après la dernière clé"
			)
		);
		return { components: [], headings: [], problems };
	}

	let frontmatter: LessonFrontmatter | undefined;
	const parsed = parseYaml(file, lines.slice(1, close).join('\n'), 1, 'frontmatter');
	problems.push(...parsed.problems);
	if (parsed.source) {
		const result = v.safeParse(lessonFrontmatterSchema, parsed.source.data ?? {});
		if (result.success) frontmatter = result.output;
		else
			for (const issue of result.issues) {
				const path = (issue.path ?? []).map((p) => p.key as string | number);
				problems.push(
					error(
						file,
						parsed.source.lineOf(path),
						fieldPath(['frontmatter', ...path]),
						describeIssue(issue)
					)
				);
			}
	}

	const components: ComponentUse[] = [];
	const headings: Heading[] = [];
	const slug = createSlugger();
	let inCode = false;
	for (let i = close + 1; i < lines.length; i++) {
		const line = lines[i] ?? '';
		const lineNo = i + 1;
		if (/^\s*(```|~~~)/.test(line)) inCode = !inCode;
		if (inCode) continue;
		const prose = line.replace(/`[^`]*`/g, '');

		const heading = /^(#{2,3})\s+(.+?)\s*#*\s*$/.exec(prose);
		if (heading) {
			const text = heading[2]!.replace(/[*_`]/g, '');
			headings.push({ depth: heading[1]!.length as 2 | 3, text, id: slug(text) });
		}
		if (/<\s*(script|style)\b/i.test(prose)) {
			problems.push(
				error(
					file,
					lineNo,
					'contenu',
					'pas de code <script> ni <style> dans une leçon : utilisez les composants décrits dans docs/authoring.md'
				)
			);
		}
		if (/[{}]/.test(prose)) {
			problems.push(
				error(
					file,
					lineNo,
					'contenu',
					"les accolades { } ne sont pas permises dans le texte d'une leçon (elles ont un sens technique) : remplacez-les par des parenthèses"
				)
			);
		}
		for (const match of prose.matchAll(/<([A-Z][A-Za-z0-9]*)\b([^>]*)>/g)) {
			const name = match[1]!;
			const attributes = Object.fromEntries(
				[...match[2]!.matchAll(/([a-zA-Z]+)\s*=\s*"([^"]*)"/g)].map((a) => [a[1]!, a[2]!])
			);
			if (!(name in LESSON_COMPONENTS)) {
				problems.push(
					error(
						file,
						lineNo,
						`<${name}>`,
						`composant inconnu : attendu l'un de ${Object.keys(LESSON_COMPONENTS)
							.map((n) => `<${n}>`)
							.join(', ')}, trouvé <${name}>`
					)
				);
				continue;
			}
			const spec = LESSON_COMPONENTS[name as LessonComponentName];
			const allowed: readonly string[] = [...spec.required, ...spec.optional];
			for (const attr of spec.required) {
				if (!attributes[attr])
					problems.push(
						error(file, lineNo, `<${name}>`, `attribut obligatoire manquant : attendu ${attr}="…"`)
					);
			}
			for (const attr of Object.keys(attributes)) {
				if (!allowed.includes(attr))
					problems.push(
						error(
							file,
							lineNo,
							`<${name}>`,
							`attribut inconnu « ${attr} » : attendu ${allowed.join(' ou ')}`
						)
					);
			}
			if (
				name === 'Callout' &&
				attributes.type &&
				!(CALLOUT_TYPES as readonly string[]).includes(attributes.type)
			) {
				problems.push(
					error(
						file,
						lineNo,
						'<Callout>',
						`attendu type="${CALLOUT_TYPES.join('" ou "')}", trouvé type="${attributes.type}"`
					)
				);
			}
			components.push({ name: name as LessonComponentName, attributes, line: lineNo });
		}
	}
	return { frontmatter, components, headings, problems };
}
