// The sync endpoint alone, for the short torture in the test suite (no build needed): the real
// route handlers of src/routes/api/sync/events behind a bare node:http server, with the session
// read as the server's hook reads it. Run: node --import tsx torture/sync-server.ts (PORT and
// DATA_DIR from the environment, as for `node build`). The modules are loaded through Vite, as
// `npm run demo` does: the route issues certificates, which read the course catalogue (an
// import.meta.glob of courses/) and `$lib` paths that only Vite resolves.
import { createServer } from 'node:http';
import { createServer as createVite } from 'vite';

const vite = await createVite({
	server: { middlewareMode: true, hmr: false },
	appType: 'custom',
	logLevel: 'error'
});
type Module = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const { getDb } = (await vite.ssrLoadModule('/src/lib/server/db/index.ts')) as Module;
const { readSession, SESSION_COOKIE } = (await vite.ssrLoadModule(
	'/src/lib/server/auth/sessions.ts'
)) as Module;
const { GET, POST } = (await vite.ssrLoadModule(
	'/src/routes/api/sync/events/+server.ts'
)) as Module;

const port = Number(process.env.PORT);
const origin = `http://127.0.0.1:${port}`;
const db = await getDb();

type Handler = (event: never) => Promise<Response>;

createServer(async (req, res) => {
	const url = new URL(req.url ?? '/', origin);
	if (url.pathname !== '/api/sync/events') {
		res.writeHead(url.pathname === '/' ? 200 : 404).end();
		return;
	}
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	const headers = new Headers();
	for (const [name, value] of Object.entries(req.headers))
		if (typeof value === 'string') headers.set(name, value);
	const request = new Request(url, {
		method: req.method,
		headers,
		body: req.method === 'POST' ? Buffer.concat(chunks) : undefined
	});
	const token = new RegExp(`${SESSION_COOKIE}=([^;]+)`).exec(req.headers.cookie ?? '')?.[1];
	const user = (await readSession(db, token))?.user ?? null;
	const handler = (req.method === 'POST' ? POST : GET) as unknown as Handler;
	const answer = await handler({ request, url, locals: { user } } as never);
	res.writeHead(answer.status, Object.fromEntries(answer.headers));
	res.end(Buffer.from(await answer.arrayBuffer()));
}).listen(port, '127.0.0.1');
