import { glossaryEntries } from '$lib/server/catalog';
import { getLocale } from '$lib/paraglide/runtime';
import type { PageServerLoad } from './$types';

export const load = (() => {
	const collator = new Intl.Collator(getLocale(), { sensitivity: 'base' });
	return { terms: glossaryEntries(getLocale()).sort((a, b) => collator.compare(a.term, b.term)) };
}) satisfies PageServerLoad;
