/**
 * A copy of content data keeping only the text a page in `locale` shows: every `{ fr, en }` text
 * becomes `{ fr: <the text to show> }` (English when there is one, French otherwise). A French
 * page then ships no English, and the other way round. Other values are kept as they are.
 */
export function pickLocale<T>(value: T, locale: 'fr' | 'en'): T {
	if (Array.isArray(value)) return value.map((v) => pickLocale(v, locale)) as T;
	if (value === null || typeof value !== 'object') return value;
	const record = value as Record<string, unknown>;
	const keys = Object.keys(record);
	if (typeof record.fr === 'string' && keys.every((k) => k === 'fr' || k === 'en')) {
		return { fr: locale === 'en' && typeof record.en === 'string' ? record.en : record.fr } as T;
	}
	return Object.fromEntries(keys.map((k) => [k, pickLocale(record[k], locale)])) as T;
}
