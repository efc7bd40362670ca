// A hostile network between the devices and the server: a loopback HTTP proxy that, request by
// request, passes the exchange through, drops the connection before or after the server has
// answered, holds the answer past the client's timeout, or cuts the answer in the middle.
import { createServer, request as forward, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';

export const FAULTS = ['drop-before', 'drop-after', 'delay', 'cut'] as const;
export type Fault = (typeof FAULTS)[number];

export interface ProxyOptions {
	/** The server's port on 127.0.0.1. */
	target: number;
	/** Share of requests that meet a fault, split evenly between the four. */
	faultRate: number;
	/** How long a delayed answer is held: make it longer than the client's timeout. */
	delayMs: number;
	random: () => number;
}

export class HostileProxy {
	private server: Server | undefined;
	private readonly sockets = new Set<Socket>();
	readonly counts = new Map<Fault | 'pass', number>();

	constructor(private readonly options: ProxyOptions) {}

	/** Faults dealt so far, e.g. "pass×120 drop-before×10 …". */
	summary(): string {
		return ['pass', ...FAULTS].map((k) => `${k}×${this.counts.get(k as Fault) ?? 0}`).join(' ');
	}

	faults(): number {
		return FAULTS.reduce((n, f) => n + (this.counts.get(f) ?? 0), 0);
	}

	listen(port: number): Promise<void> {
		const server = createServer((req, res) => {
			const fault = this.draw();
			this.counts.set(fault, (this.counts.get(fault) ?? 0) + 1);
			if (fault === 'drop-before') {
				req.socket.destroy();
				return;
			}
			const upstream = forward(
				{
					host: '127.0.0.1',
					port: this.options.target,
					method: req.method,
					path: req.url,
					headers: req.headers,
					// one upstream connection per request: a reused one closed by the server's
					// keep-alive timer would be a fault of this proxy, not of the network it models
					agent: false
				},
				(answer) => void this.answer(fault, answer, req, res)
			);
			// the server went away (killed, restarting): the client sees its connection drop
			upstream.on('error', () => req.socket.destroy());
			req.pipe(upstream);
		});
		server.keepAliveTimeout = 5_000;
		server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		this.server = server;
		return new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
	}

	close(): Promise<void> {
		for (const socket of this.sockets) socket.destroy();
		return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
	}

	private draw(): Fault | 'pass' {
		const r = this.options.random();
		if (r >= this.options.faultRate) return 'pass';
		return FAULTS[
			Math.min(FAULTS.length - 1, Math.floor((r / this.options.faultRate) * FAULTS.length))
		]!;
	}

	private async answer(
		fault: Fault | 'pass',
		answer: IncomingMessage,
		req: IncomingMessage,
		res: import('node:http').ServerResponse
	): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of answer) chunks.push(chunk as Buffer);
		const body = Buffer.concat(chunks);
		const headers = { ...answer.headers, 'content-length': String(body.length) };
		delete headers['transfer-encoding'];
		if (fault === 'drop-after') {
			// the server did the work; the client never hears of it
			req.socket.destroy();
			return;
		}
		if (fault === 'delay') await new Promise((r) => setTimeout(r, this.options.delayMs));
		if (req.socket.destroyed) return;
		res.writeHead(answer.statusCode ?? 502, headers);
		if (fault === 'cut') {
			// headers and half of the body, then the connection goes
			res.write(body.subarray(0, Math.floor(body.length / 2)), () => req.socket.destroy());
			return;
		}
		res.end(body);
	}
}
