// npm run demo — seeds a demo instructor and a cohort of synthetic learners into the database that
// `npm start` uses (DATA_DIR or DATABASE_URL), then prints how to sign in. Runs the server modules
// through Vite, which resolves $lib and the course catalogue as the app does.
import { createServer } from 'vite';

const vite = await createServer({
	server: { middlewareMode: true, hmr: false },
	appType: 'custom',
	logLevel: 'error'
});
try {
	const { getDb } = await vite.ssrLoadModule('/src/lib/server/db/index.ts');
	const { seedDemo, DEMO } = await vite.ssrLoadModule('/src/lib/server/demo.ts');
	const db = await getDb();
	const { cohort, learners, events } = await seedDemo(db);
	console.log(
		`Démo prête : « ${cohort.name} », ${learners} apprenants, ${events} événements (code ${cohort.joinCode}).`
	);
	console.log(
		`Formatrice : ${DEMO.instructor} / ${DEMO.password}   Administrateur : ${DEMO.admin} / ${DEMO.password} (s'il n'existait pas déjà)`
	);
	console.log('Lancez « npm start » puis ouvrez http://localhost:3000/connexion');
	await db.destroy();
} finally {
	await vite.close();
}
