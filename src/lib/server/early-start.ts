import type { Handle } from '@sveltejs/kit';
import { render } from 'svelte/server';
import QuestionView from '$lib/components/quiz/QuestionView.svelte';
import type { Locale } from '$lib/content/localize';
import type { QuizFile } from '$lib/content/schema';
import { baseOptions, questionsAsked, shufflesQuestions } from '$lib/quiz/shuffle';
import script from '$lib/components/quiz/early-start.js?raw';

// An assessment can be started before the page's JavaScript has arrived (docs/decisions.md « An
// assessment starts before its JavaScript has arrived »). Its HTML carries every question that can
// come first, rendered by the same question view, in inert <template>s, and a small script
// (early-start.js, allowed by its hash in svelte.config.js) that draws the attempt's seed when
// « Commencer » is pressed, shows the first question with its options in the drawn order and hands
// the press to the page once it is interactive. The templates go into the HTML only, not into the
// page's data: the server load leaves them in `locals`, and `earlyStartHandle` puts them in place.

/**
 * The HTML that lets the assessment start before its JavaScript: one template per question of the
 * pool (any can be drawn first), the page's « loading » line and the script.
 */
export function earlyStartHtml(
	quiz: QuizFile,
	locale: Locale,
	legend: string,
	loading: string
): string {
	const templates = quiz.questions.map((question) => {
		const options = baseOptions(question);
		const { body } = render(QuestionView, {
			props: {
				question,
				options,
				response: undefined,
				locale,
				legend,
				onanswer: () => undefined
			}
		});
		// Never hydrated: Svelte's hydration markers are left out.
		const html = body.replace(/<!--[^]*?-->/g, '');
		return `<template data-q="${question.id}" data-type="${question.type}" data-options="${options.join(' ')}">${html}</template>`;
	});
	return `${templates.join('')}<div class="early-box" tabindex="-1" hidden><p class="muted" aria-live="polite">${escapeHtml(loading)}</p></div><script data-asked="${questionsAsked(quiz)}" data-shuffle="${shufflesQuestions(quiz)}">${script}</script>`;
}

const escapeHtml = (text: string) =>
	text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const PLACEHOLDER = /(<div [^>]*data-early="([a-z0-9-]+)"[^>]*>)(<\/div>)/;

/** Whether `event` renders a module's assessment page (`/cours/[course]/[module]/evaluation`). */
export const isAssessmentPage = (event: { route: { id: string | null } }): boolean =>
	event.route.id?.endsWith('/evaluation') ?? false;

/** Puts the early start the page's load left in `locals` into the page's (empty) placeholder. */
export const earlyStartHandle: Handle = ({ event, resolve }) => {
	if (!isAssessmentPage(event)) return resolve(event);
	return resolve(event, {
		transformPageChunk: ({ html }) => {
			const early = event.locals.earlyStart;
			if (!early) return html;
			return html.replace(PLACEHOLDER, (all, open: string, quiz: string, close: string) =>
				quiz === early.quiz ? open + early.html + close : all
			);
		}
	});
};
