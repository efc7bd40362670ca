// The people a run needs, made with the server's own modules on the database the server will
// open (as `npm run demo` does): an administrator, an instructor and a cohort with its join code.
// Loaded through Vite, which resolves $lib and the course catalogue as the app does.
import { createServer } from 'vite';
import type { CourseOutline } from './device';

export interface Seeded {
	code: string;
	cohortId: string;
	course: CourseOutline;
}

export async function seedCohort(database: {
	sqlite?: string;
	schema?: string;
	postgres?: string;
}): Promise<Seeded> {
	const vite = await createServer({
		server: { middlewareMode: true, hmr: false, ws: false },
		appType: 'custom',
		logLevel: 'error'
	});
	try {
		const { createDb } = await vite.ssrLoadModule('/src/lib/server/db/index.ts');
		const auth = await vite.ssrLoadModule('/src/lib/server/auth/index.ts');
		const { createCohort } = await vite.ssrLoadModule('/src/lib/server/cohorts/index.ts');
		const { catalog } = await vite.ssrLoadModule('/src/lib/server/catalog.ts');
		const db = await createDb(database);
		try {
			const admin = await auth.createFirstAdmin(db, 'admin', 'torture-admin-2026');
			const instructor = await auth.createInstructor(db, admin, {
				username: 'formatrice',
				displayName: 'Formatrice Torture',
				password: 'torture-formatrice-2026'
			});
			type Course = {
				id: string;
				version: string;
				modules: { lessons: string[] }[];
				quizzes: Record<string, { questions: { id: string }[] }>;
				scenarios: Record<string, unknown>;
			};
			const courses = catalog.courses as Course[];
			const course = courses.find((c) => c.id === 'rss-triptyque') ?? courses[0]!;
			const cohort = (await createCohort(db, instructor, {
				name: 'Promotion Torture',
				courses: [course.id]
			})) as { id: string; joinCode: string };
			return {
				code: cohort.joinCode,
				cohortId: cohort.id,
				course: {
					courseId: course.id,
					courseVersion: course.version,
					lessons: course.modules.flatMap((m) => m.lessons),
					quizzes: Object.entries(course.quizzes).map(([id, q]) => ({
						id,
						questions: q.questions.map((x) => x.id)
					})),
					scenarios: Object.keys(course.scenarios)
				}
			};
		} finally {
			await db.destroy();
		}
	} finally {
		await vite.close();
	}
}
