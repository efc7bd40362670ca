import { database, record } from './store';
import { device } from './state.svelte';
import { storageProblem } from './storage-status.svelte';

type Lesson = { courseId: string; courseVersion: string; lessonId: string };

/**
 * Records that a lesson was opened, and that it was completed when its end comes into view (or
 * when the learner says so). Returns `complete` for the button, and a stop function.
 */
export function trackLesson(
	lesson: Lesson,
	end: Element | undefined
): { complete: () => void; stop: () => void } {
	const openedAt = Date.now();
	let done = false;
	record({ verb: 'lesson.opened', ...lesson }, database(), device.profile?.id).catch(
		storageProblem
	);
	const complete = () => {
		if (done) return;
		done = true;
		const durationMs = Math.min(Date.now() - openedAt, 2 * 60 * 60 * 1000);
		record(
			{ verb: 'lesson.completed', ...lesson, result: { durationMs } },
			database(),
			device.profile?.id
		).catch(storageProblem);
	};
	const observer =
		end && 'IntersectionObserver' in window
			? new IntersectionObserver((entries) => {
					if (entries.some((e) => e.isIntersecting)) complete();
				})
			: undefined;
	if (end) observer?.observe(end);
	return { complete, stop: () => observer?.disconnect() };
}
