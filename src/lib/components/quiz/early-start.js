// @ts-nocheck: inlined as is into the assessment pages; see early-start.test.ts.
(() => {
	const mulberry32 = (seed) => {
		let a = seed >>> 0;
		return () => {
			a = (a + 0x6d2b79f5) >>> 0;
			let t = a;
			t = Math.imul(t ^ (t >>> 15), t | 1);
			t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
			return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
		};
	};
	const derive = (seed, key) => {
		let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
		for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
		return h;
	};
	const shuffle = (items, seed) => {
		const random = mulberry32(seed);
		const out = [...items];
		for (let i = out.length - 1; i > 0; i--) {
			const j = Math.floor(random() * (i + 1));
			[out[i], out[j]] = [out[j], out[i]];
		}
		return out;
	};
	const draw = (seed, questions, asked, shuffled) => {
		const ids = questions.map((q) => q.id);
		const drawn = shuffle(ids, derive(seed, 'questions')).slice(0, asked);
		const q = questions.find(
			(q) => q.id === (shuffled ? drawn[0] : ids.find((id) => drawn.includes(id)))
		);
		if (!q.options.length) return { id: q.id, options: [] };
		const shown = shuffle(q.options, derive(seed, q.id));
		const same =
			q.type === 'ordering' && shown.length > 1 && shown.every((id, i) => id === q.options[i]);
		return { id: q.id, options: same ? [...shown.slice(1), shown[0]] : shown };
	};
	if (typeof document == 'undefined') return draw;

	const me = document.currentScript;
	const root = me.parentElement;
	const button = root.previousElementSibling;
	const templates = [...root.querySelectorAll('template')];
	const questions = templates.map((t) => ({
		id: t.dataset.q,
		type: t.dataset.type,
		options: t.dataset.options ? t.dataset.options.split(' ') : []
	}));
	button.disabled = false;
	button.addEventListener('click', () => {
		if ('live' in root.dataset) return;
		const seed = crypto.getRandomValues(new Uint32Array(1))[0];
		const startedAt = Date.now();
		const first = draw(seed, questions, Number(me.dataset.asked), me.dataset.shuffle == 'true');
		const view = templates[questions.findIndex((q) => q.id == first.id)].content.cloneNode(true);
		const put = (parent, pick) => first.options.forEach((id) => parent.append(pick(id)));
		const list = view.querySelector('.options, ol');
		if (list && list.tagName == 'OL') {
			const uid = view.querySelector('.help').id.slice(0, -5);
			put(list, (id) => {
				const li = view.getElementById(`${uid}-${id}-up`).closest('li');
				li.dataset.id = id;
				return li;
			});
			const rank = () =>
				[...list.children].forEach((li, i, all) => {
					li.querySelector('.rank').textContent = i + 1;
					const [up, down] = li.querySelectorAll('button');
					up.disabled = i == 0;
					down.disabled = i == all.length - 1;
				});
			rank();
			list.addEventListener('click', (event) => {
				const move = event.target.closest('button');
				if (!move) return;
				const li = move.closest('li');
				const up = move.id.endsWith('-up');
				if (up) li.previousElementSibling?.before(li);
				else li.nextElementSibling?.after(li);
				rank();
				window.__kalanEarly.order = [...list.children].map((li) => li.dataset.id);
				const [a, b] = li.querySelectorAll('button');
				(move.disabled ? (up ? b : a) : move).focus();
			});
		} else if (list) put(list, (id) => list.querySelector(`input[value="${id}"]`).closest('label'));
		for (const select of view.querySelectorAll('select'))
			put(select, (id) => select.querySelector(`option[value="${id}"]`));
		for (let el = button; el; el = el.previousElementSibling) el.style.display = 'none';
		const box = root.querySelector('.early-box');
		box.prepend(view);
		box.hidden = false;
		box.focus();
		window.__kalanEarly = { quiz: root.dataset.early, seed, startedAt, box };
	});
})();
