import * as v from 'valibot';

// The shapes of what people type, checked the same way by the API and by the form actions.

export const usernameSchema = v.pipe(
	v.string("le nom d'utilisateur (un texte)"),
	v.transform((s) => s.trim().toLowerCase()),
	v.regex(
		/^[a-z0-9][a-z0-9._-]{2,39}$/,
		"un nom d'utilisateur de 3 à 40 caractères : lettres sans accent, chiffres, point, tiret"
	)
);

/**
 * What a person types to sign in, before it reaches a query or a rate-limit key: no control
 * characters (PostgreSQL refuses a NUL in text, and no name or matricule contains one).
 */
export const NO_CONTROL = v.regex(
	/^[^\p{Cc}]*$/u,
	'un texte sans caractère de contrôle (retapez-le au clavier)'
);

/** An id taken from a URL or a form: anything with a control character names nothing. */
export const isPlainId = (id: string): boolean => id.length <= 200 && !/\p{Cc}/u.test(id);

export const PASSWORD_MIN = 10;
export const passwordSchema = v.pipe(
	v.string('le mot de passe (un texte)'),
	v.minLength(PASSWORD_MIN, `un mot de passe d'au moins ${PASSWORD_MIN} caractères`),
	v.maxLength(200, "un mot de passe d'au plus 200 caractères")
);

export const pinSchema = v.pipe(
	v.string('le PIN (un texte de chiffres)'),
	v.transform((s) => s.trim()),
	v.regex(/^\d{4,6}$/, 'un PIN de 4 à 6 chiffres')
);

/** Letters of any alphabet, spaces, apostrophes, hyphens and dots: "N'Diaye", "Aïssata K. Traoré". */
export const personNameSchema = v.pipe(
	v.string('le nom (un texte)'),
	v.transform((s) => s.normalize('NFC').replace(/\s+/g, ' ').trim()),
	v.minLength(1, 'un nom non vide'),
	v.maxLength(80, "un nom d'au plus 80 caractères"),
	v.regex(
		/^\p{L}[\p{L}\p{M}\p{N} .'’-]*$/u,
		"un nom fait de lettres, d'espaces, de traits d'union et d'apostrophes"
	)
);

export const serviceNumberSchema = v.pipe(
	v.string('le matricule (un texte)'),
	v.transform((s) => s.replace(/\s+/g, '').toUpperCase()),
	v.regex(/^[A-Z0-9][A-Z0-9/-]{0,29}$/, "un matricule d'au plus 30 lettres, chiffres, / ou -")
);

/** What a cohort or a display name is compared by: no accents, no case, single spaces. */
export function nameKey(name: string): string {
	return name
		.normalize('NFD')
		.replace(/\p{M}/gu, '')
		.replace(/’/g, "'")
		.replace(/\s+/g, ' ')
		.trim()
		.toLowerCase();
}
