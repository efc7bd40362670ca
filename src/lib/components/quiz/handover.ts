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

const ticks = (c: HTMLInputElement) => c.type === 'radio' || c.type === 'checkbox';

/** What the learner chose or wrote in the question under `root`: per control, ticked or its text. */
export function readControls(root: ParentNode | null | undefined): (boolean | string)[] {
	return controls(root).map((c) => (ticks(c) ? c.checked : c.value));
}

/**
 * Gives the controls under `root` what `readControls` read from the same question elsewhere (the
 * page's HTML before hydration, or before the page's own view): as the learner's own changes, so
 * that the question view's handlers hear them.
 */
export function restoreControls(
	root: ParentNode | null | undefined,
	values: (boolean | string)[]
): void {
	controls(root).forEach((c, i) => {
		const was = values[i];
		if (!was) return;
		if (ticks(c)) c.checked = true;
		else c.value = was as string;
		c.dispatchEvent(
			new Event(ticks(c) || c.tagName === 'SELECT' ? 'change' : 'input', { bubbles: true })
		);
	});
}

/** Focuses `target`; in a text field, with the caret at the end (the learner goes on typing). */
export function focusControl(target: HTMLElement | null | undefined): void {
	target?.focus();
	if (target instanceof HTMLInputElement && target.type === 'text')
		target.selectionStart = target.value.length;
}

/**
 * Notes where the focus is in `box` (the page's question) before it gives way to the engine's
 * view; the returned function, called once that view is on screen, moves the focus to the same
 * answer control under `root`, or to `elsewhere()` when it was on something else in the box (a
 * button, the box itself). Focus outside the box is left where it is.
 */
export function keepFocus(
	box: HTMLElement | undefined
): (root: ParentNode | undefined, elsewhere: () => HTMLElement | null | undefined) => void {
	const active = document.activeElement;
	const inBox = !!active && !!box?.contains(active);
	const at = controls(box).indexOf(active as HTMLInputElement);
	return (root, elsewhere) => {
		if (inBox) focusControl(at >= 0 ? controls(root)[at] : elsewhere());
	};
}
