// Heading anchors: shared by the lesson outline (src/lib/content) and the mdsvex rehype plugin,
// so that an outline link always lands on its heading. Plain JS so svelte.config.js can import it.

/**
 * @param {string} text
 * @returns {string}
 */
export function slugify(text) {
	const slug = text
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '');
	return slug || 'section';
}

/** A slugger gives each repeated heading its own id: "a", "a-2", "a-3". */
export function createSlugger() {
	/** @type {Map<string, number>} */
	const seen = new Map();
	/** @param {string} text */
	return (text) => {
		const base = slugify(text);
		const count = (seen.get(base) ?? 0) + 1;
		seen.set(base, count);
		return count === 1 ? base : `${base}-${count}`;
	};
}
