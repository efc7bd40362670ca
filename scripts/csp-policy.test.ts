import { describe, expect, it } from 'vitest';
import { pagePath, takePolicy } from './csp-policy';

const policy = "default-src 'self'; script-src 'self' 'sha256-abc+/='";
const page = (head: string) =>
	`<!doctype html>\n<html>\n\t<head>\n\t\t<meta charset="utf-8" />\n${head}\t\t<link href="/a.js" rel="modulepreload">\n\t</head>\n\t<body><p>Texte</p></body>\n</html>\n`;

describe('takePolicy', () => {
	it('removes the policy <meta> and returns its policy', () => {
		const html = page(`\t\t<meta http-equiv="content-security-policy" content="${policy}">\n`);
		const taken = takePolicy(html);
		expect(taken.policy).toBe(policy);
		expect(taken.html).toBe(page(''));
	});

	it('leaves a page without a policy as it is', () => {
		expect(takePolicy(page(''))).toEqual({ html: page(''), policy: null });
	});

	it('joins several policies with commas, as a header means the same', () => {
		const html = page(
			`\t\t<meta http-equiv="content-security-policy" content="${policy}">\n\t\t<meta http-equiv="content-security-policy" content="object-src 'none'">\n`
		);
		const taken = takePolicy(html);
		expect(taken.policy).toBe(`${policy}, object-src 'none'`);
		expect(taken.html).not.toContain('content-security-policy');
	});

	it('decodes what the attribute escapes', () => {
		const taken = takePolicy(
			page(
				`<meta http-equiv="content-security-policy" content="report-uri /r?a=1&amp;b=&quot;2&quot;">`
			)
		);
		expect(taken.policy).toBe('report-uri /r?a=1&b="2"');
	});

	it('keeps other <meta> tags', () => {
		const html = page(
			`\t\t<meta http-equiv="refresh" content="0;url=/">\n\t\t<meta http-equiv="content-security-policy" content="${policy}">\n`
		);
		expect(takePolicy(html).html).toContain('<meta http-equiv="refresh" content="0;url=/">');
	});
});

describe('pagePath', () => {
	it('gives the path a prerendered file answers', () => {
		expect(pagePath('index.html')).toBe('/');
		expect(pagePath('en.html')).toBe('/en');
		expect(pagePath('cours/ccs.html')).toBe('/cours/ccs');
		expect(pagePath('cours/ccs/m1-l1-pourquoi-ccs.html')).toBe('/cours/ccs/m1-l1-pourquoi-ccs');
		expect(pagePath('cours/index.html')).toBe('/cours');
		expect(pagePath('cours\\ccs.html')).toBe('/cours/ccs');
	});
});
