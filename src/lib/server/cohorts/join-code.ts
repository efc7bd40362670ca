import { randomInt } from 'node:crypto';

/** Letters and digits that cannot be misread: no 0/O, 1/I/L. */
export const JOIN_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const JOIN_CODE_LENGTH = 6;

export function generateJoinCode(): string {
	let code = '';
	for (let i = 0; i < JOIN_CODE_LENGTH; i++)
		code += JOIN_CODE_ALPHABET[randomInt(JOIN_CODE_ALPHABET.length)];
	return code;
}

/** What a person typed, as stored: capitals, without spaces or dashes ("abc-d2f" → "ABCD2F"). */
export function normalizeJoinCode(typed: string): string {
	return typed.replace(/[\s-]+/g, '').toUpperCase();
}

export const isJoinCode = (code: string): boolean =>
	code.length === JOIN_CODE_LENGTH && [...code].every((c) => JOIN_CODE_ALPHABET.includes(c));
