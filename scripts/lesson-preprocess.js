// Build-time helpers for lessons written in mdsvex (courses/**/lessons/*.svx).
import { createSlugger } from '../src/lib/content/slug.js';

const LESSON_COMPONENTS = `<script>import { Callout, Check, Scenario, Term } from '$lib/components/lesson';</script>\n`;

/**
 * Authors write `<Term id="…">` without importing anything: this preprocessor, run after mdsvex,
 * gives every lesson the components the renderer knows (the validator rejects any other).
 * @returns {import('svelte/compiler').PreprocessorGroup}
 */
export function lessonPreprocess() {
	return {
		name: 'kalan-lesson-components',
		markup({ content, filename }) {
			if (!filename || !filename.endsWith('.svx') || !filename.includes('/courses/')) return;
			return { code: LESSON_COMPONENTS + content };
		}
	};
}

/** @param {any} node @returns {string} */
function textOf(node) {
	if (node.type === 'text') return node.value;
	return (node.children ?? []).map(textOf).join('');
}

/** A rehype plugin giving h2/h3 the ids that the lesson outline links to. */
export function rehypeHeadingIds() {
	/** @param {any} tree */
	return (tree) => {
		const slug = createSlugger();
		/** @param {any} node */
		const visit = (node) => {
			if (node.type === 'element' && (node.tagName === 'h2' || node.tagName === 'h3')) {
				node.properties = { ...node.properties, id: slug(textOf(node)) };
			}
			(node.children ?? []).forEach(visit);
		};
		visit(tree);
	};
}
