/**
 * What the interface shows about this device: filled by app.svelte.ts once the page is on screen
 * (so Dexie never sits on a page's critical path); importing this file costs a few bytes.
 */
export interface DeviceState {
	/** The local database is open and the profile known. */
	ready: boolean;
	online: boolean;
	profile: { id: string; name: string; locked: boolean } | null;
	profiles: { id: string; name: string; locked: boolean }[];
	/** Learning events recorded on this phone and not yet sent. */
	pending: number;
	/** The current profile's progress, the fold of its events (see $lib/progress). */
	progress: import('$lib/progress/reduce').Progress | null;
	/** Rows of the log that could not be read: skipped, counted, reported. */
	unreadable: number;
	/** A new version of Kalan is installed and waits for the learner's go-ahead. */
	updateReady: boolean;
	storage: { problem: null | 'unavailable' | 'full' | 'error'; detail: string };
	persisted: boolean | null;
	/** The browser offers to install Kalan (its `beforeinstallprompt` event, kept for the button). */
	installPrompt: { prompt: () => Promise<unknown> } | null;
	/** The sync engine's state, in words for the learner. */
	sync: {
		state: string;
		message: string;
		lastSuccessAt: string | null;
		rejected: { id: string; reason: string }[];
	} | null;
}

export const device: DeviceState = $state({
	ready: false,
	online: true,
	profile: null,
	profiles: [],
	pending: 0,
	progress: null,
	unreadable: 0,
	updateReady: false,
	storage: { problem: null, detail: '' },
	persisted: null,
	installPrompt: null,
	sync: null
});

// The browser's install offer can come before the device layer starts: keep it from the start.
if (typeof window !== 'undefined') {
	addEventListener('beforeinstallprompt', (event) => {
		event.preventDefault();
		device.installPrompt = event as unknown as { prompt: () => Promise<unknown> };
	});
	addEventListener('appinstalled', () => (device.installPrompt = null));
}

/** Starts the device layer (Dexie, service worker, network status) after first paint. */
export function startDevice(): void {
	if (typeof window === 'undefined' || started) return;
	started = true;
	const go = () => import('./app').then((m) => m.start());
	if ('requestIdleCallback' in window) requestIdleCallback(() => void go(), { timeout: 2000 });
	else setTimeout(() => void go(), 200);
}
let started = false;

/** A lesson's status for the current profile, read straight from the stored fold (no import of the reducer). */
export function lessonStatusOf(
	courseId: string,
	lessonId: string
): 'not-started' | 'in-progress' | 'completed' | null {
	if (!device.progress) return null;
	return device.progress.courses[courseId]?.lessons[lessonId]?.status ?? 'not-started';
}

/** A quiz's attempts and pass for the current profile, read from the stored fold. */
export function quizResultOf(
	courseId: string,
	quizId: string
): { attempts: number; passed: boolean } | null {
	const quiz = device.progress?.courses[courseId]?.quizzes[quizId];
	return quiz ? { attempts: quiz.attempts, passed: quiz.passed } : null;
}
