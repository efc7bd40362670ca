import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';

/** The built server (`node build`), started and killed at will: one process at a time. */
export class ServerProcess {
	private child: ChildProcess | undefined;
	private readonly log;
	/** Times the server was started (the first start included). */
	starts = 0;
	/** SIGKILLs sent while the server was up. */
	kills = 0;

	constructor(
		readonly port: number,
		private readonly env: Record<string, string>,
		logFile: string,
		/** The command that serves: `node build` by default. */
		private readonly command: string[] = ['build']
	) {
		this.log = createWriteStream(logFile, { flags: 'a' });
	}

	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	get pid(): number | undefined {
		return this.child?.pid;
	}

	/** Starts the server and resolves once it answers (a 200 on `/`, or `readyPath`). */
	async start(readyPath = '/'): Promise<void> {
		if (this.child) throw new Error('the server is already running');
		const child = spawn(process.execPath, this.command, {
			env: {
				...process.env,
				PORT: String(this.port),
				HOST: '127.0.0.1',
				ORIGIN: this.url,
				...this.env
			},
			stdio: ['ignore', 'pipe', 'pipe']
		});
		this.child = child;
		this.starts++;
		this.log.write(`\n——— start ${this.starts} (pid ${child.pid}) ———\n`);
		child.stdout!.pipe(this.log, { end: false });
		child.stderr!.pipe(this.log, { end: false });
		let exited = false;
		child.once('exit', () => {
			exited = true;
			if (this.child === child) this.child = undefined;
		});
		for (let i = 0; i < 600 && !exited; i++) {
			try {
				const res = await fetch(`${this.url}${readyPath}`, { signal: AbortSignal.timeout(2000) });
				await res.arrayBuffer();
				if (res.ok) return;
			} catch {
				// not up yet
			}
			await sleep(50);
		}
		throw new Error(`the server on ${this.url} did not start (see its log)`);
	}

	/** SIGKILL: no shutdown hook runs, open transactions are cut where they are. */
	async kill(): Promise<void> {
		const child = this.child;
		if (!child) return;
		const gone = new Promise((resolve) => child.once('exit', resolve));
		child.kill('SIGKILL');
		this.kills++;
		await gone;
	}

	/** A clean stop (SIGTERM), at the end of a run. */
	async stop(): Promise<void> {
		const child = this.child;
		if (!child) return;
		const gone = new Promise((resolve) => child.once('exit', resolve));
		child.kill('SIGTERM');
		const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
		await gone;
		clearTimeout(timer);
	}

	/** Resident memory of the server process, in bytes (Linux), or NaN. */
	rss(): number {
		const pid = this.child?.pid;
		if (!pid) return NaN;
		try {
			const status = readFileSync(`/proc/${pid}/status`, 'utf8');
			const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
			return kb ? Number(kb) * 1024 : NaN;
		} catch {
			return NaN;
		}
	}

	/** CPU time the server process has used (user + system), in ms (Linux), or NaN. */
	cpuMs(): number {
		const pid = this.child?.pid;
		if (!pid) return NaN;
		try {
			// fields after the command name: state is the 3rd, utime the 14th, stime the 15th
			const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
			return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ = 100
		} catch {
			return NaN;
		}
	}

	close(): void {
		this.log.end();
	}
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
