// @ts-nocheck: inlined as is into every page (src/lib/server/first-frame.ts says why and how).
{
	const kit = document.currentScript.previousElementSibling;
	let started = false;
	const start = () => {
		if (started) return;
		started = true;
		for (const href of kit.dataset.preload.split(' ')) {
			const link = document.createElement('link');
			link.rel = 'modulepreload';
			link.href = href;
			document.head.append(link);
		}
		const script = document.createElement('script');
		script.textContent = kit.textContent;
		kit.replaceWith(script);
	};
	requestAnimationFrame(() => setTimeout(start));
	setTimeout(start, 1000);
}
