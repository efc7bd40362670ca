// A question shown by a page before the quiz engine has loaded (a check's first question, an
// assessment's first question) gives way to the engine's view of the same question: the focus
// moves to the same control there, so that a keyboard or screen-reader user is not thrown back to
// the top of the page.

/** The answer controls of the question under `root`, in the order they are shown. */
export function controls(root: ParentNode | null | undefined): HTMLInputElement[] {
	return [
		...(root?.querySelectorAll<HTMLInputElement>('fieldset.question :is(input, select, button)') ??
			[])
	];
}

/** Focuses `target`; in a text field, with the caret at the end (the learner goes on typing). */
export function focusControl(target: HTMLElement | null | undefined): void {
	target?.focus();
	if (target instanceof HTMLInputElement && target.type === 'text')
		target.selectionStart = target.value.length;
}
