import { error, isHttpError } from '@sveltejs/kit';
import * as v from 'valibot';
import { describe, expect, test } from 'vitest';
import { api, describeIssues, failFrom, readJson } from './http';

const post = (
	body: BodyInit,
	headers: Record<string, string> = { 'content-type': 'application/json' }
) => new Request('http://kalan.test/api', { method: 'POST', body, headers });

async function refusal(promise: Promise<unknown>) {
	const caught: unknown = await promise.catch((e: unknown) => e);
	if (!isHttpError(caught)) throw new Error('expected a refusal');
	return { status: caught.status, message: caught.body.message };
}

describe('reading a JSON body', () => {
	test('a body within the limit is parsed', async () => {
		expect(await readJson(post('{"a":[1,2]}'), 100)).toEqual({ a: [1, 2] });
		expect(
			await readJson(post('{"a":1}', { 'content-type': 'application/json; charset=utf-8' }), 100)
		).toEqual({ a: 1 });
	});

	test('a body past the limit is refused while reading, whatever it declares', async () => {
		expect(await refusal(readJson(post('x'.repeat(2048)), 1024))).toEqual({
			status: 413,
			message: 'Requête trop volumineuse : 1 Ko au plus.'
		});
		const lying = post('[' + '1,'.repeat(2000) + '1]', {
			'content-type': 'application/json',
			'content-length': '10'
		});
		expect((await refusal(readJson(lying, 1024))).status).toBe(413);
	});

	test('bytes that are not UTF-8 or not JSON, or the wrong type, are refused in French', async () => {
		expect(
			(await refusal(readJson(post(new Uint8Array([0x7b, 0xff, 0x7d])), 100))).message
		).toMatch(/UTF-8/);
		expect((await refusal(readJson(post('{nope}'), 100))).message).toBe(
			"Le corps de la requête n'est pas du JSON valide."
		);
		expect(
			(
				await refusal(
					readJson(post('{}', { 'content-type': 'application/x-www-form-urlencoded' }), 100)
				)
			).status
		).toBe(415);
	});
});

describe('describing what is wrong', () => {
	const schema = v.object(
		{ pin: v.pipe(v.string('le PIN'), v.regex(/^\d{4}$/, 'un PIN de 4 chiffres')) },
		'un objet { pin }'
	);

	test('says where, what was expected and what came', () => {
		expect(describeIssues(v.safeParse(schema, { pin: 'abcd' }).issues!)).toBe(
			'pin : un PIN de 4 chiffres (reçu : "abcd")'
		);
		expect(describeIssues(v.safeParse(schema, {}).issues!)).toBe('pin : champ manquant');
	});

	test('never passes on valibot’s English messages', () => {
		const bare = v.object({ n: v.number() });
		expect(describeIssues(v.safeParse(bare, { n: 'x' }).issues!)).toBe(
			'n : valeur invalide, attendu : number (reçu : "x")'
		);
	});
});

describe('answering', () => {
	const event = {
		request: new Request('http://kalan.test/api'),
		url: new URL('http://kalan.test/api')
	};

	test('a refusal becomes { error } with its status; a crash, a 500 that says nothing', async () => {
		const refused = await api(async () => error(409, 'Déjà pris.'))(event as never);
		expect(refused.status).toBe(409);
		expect(await refused.json()).toEqual({ error: 'Déjà pris.' });
		const quiet = console.error;
		console.error = () => undefined;
		try {
			const crashed = await api(async () => {
				throw new Error('secret detail');
			})(event as never);
			expect(crashed.status).toBe(500);
			expect(JSON.stringify(await crashed.json())).not.toContain('secret');
		} finally {
			console.error = quiet;
		}
	});

	test('form actions get the refusal as a failure; anything else is thrown on', () => {
		let failure: ReturnType<typeof failFrom> | undefined;
		try {
			error(429, 'Trop de tentatives.');
		} catch (caught) {
			failure = failFrom(caught);
		}
		expect(failure).toMatchObject({ status: 429, data: { message: 'Trop de tentatives.' } });
		expect(() => failFrom(new Error('bug'))).toThrow('bug');
	});
});
