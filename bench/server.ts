import { spawn, type ChildProcess } from 'node:child_process';

/** Starts the built server (`node build`) on a free port and waits until it answers. */
export async function startServer(
	port: number,
	env: Record<string, string> = {}
): Promise<{ url: string; stop: () => void; child: ChildProcess }> {
	const url = `http://127.0.0.1:${port}`;
	if (
		await fetch(url).then(
			() => true,
			() => false
		)
	)
		throw new Error(`port ${port} is already in use: stop the server that holds it`);
	const child = spawn(process.execPath, ['build'], {
		env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ORIGIN: url, ...env },
		stdio: ['ignore', 'inherit', 'inherit']
	});
	// The server never outlives the bench that started it.
	process.once('exit', () => child.kill());
	for (const signal of ['SIGINT', 'SIGTERM'] as const)
		process.once(signal, () => {
			child.kill();
			process.exit(1);
		});
	for (let i = 0; i < 100; i++) {
		try {
			if ((await fetch(url)).ok) return { url, child, stop: () => child.kill() };
		} catch {
			// not up yet
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	child.kill();
	throw new Error(`the built server did not answer on ${url}: run npm run build first`);
}
