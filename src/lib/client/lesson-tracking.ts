import type { LearningEventDraft } from '$lib/progress/events';
import { append, complete as completeDraft, currentProfile, database } from './store';
import { device } from './state.svelte';
import { storageProblem, storeOrRetry } from './storage-status.svelte';

/** Records a draft, kept and tried again until stored when the disk is full. */
async function keep(draft: LearningEventDraft): Promise<void> {
	try {
		const db = database();
		const event = completeDraft(draft, device.profile?.id ?? (await currentProfile(db)).id);
		await storeOrRetry(() => append(event, db));
	} catch (error) {
		storageProblem(error); // no profile at all: the database cannot even be opened
	}
}

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
	void keep({ verb: 'lesson.opened', ...lesson });
	const complete = () => {
		if (done) return;
		done = true;
		const durationMs = Math.min(Date.now() - openedAt, 2 * 60 * 60 * 1000);
		void keep({ verb: 'lesson.completed', ...lesson, result: { durationMs } });
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
