// autocannon 8 ships no types (and @types/autocannon is not installed): the part bench/load.ts uses.
declare module 'autocannon' {
	type Context = Record<string, unknown>;
	interface Request {
		method?: string;
		path?: string;
		headers?: Record<string, string>;
		body?: string;
	}
	interface RequestSpec extends Request {
		setupRequest?: (request: Request, context: Context) => Request;
		onResponse?: (status: number, body: string, context: Context) => void;
	}
	interface Options {
		url: string;
		connections?: number;
		duration?: number;
		timeout?: number;
		connectionRate?: number;
		overallRate?: number;
		requests?: RequestSpec[];
	}
	interface Result {
		duration: number;
		errors: number;
		timeouts: number;
		non2xx: number;
	}
	interface Instance extends PromiseLike<Result> {
		on(
			event: 'response',
			listener: (client: unknown, status: number, bytes: number, ms: number) => void
		): void;
	}
	function autocannon(options: Options): Instance;
	export default autocannon;
}
