// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
	namespace App {
		interface Error {
			message: string;
		}
		interface Locals {
			/** Who is signed in (set by hooks.server.ts from the session cookie), or null. */
			user: import('$lib/server/auth').AuthUser | null;
			/** An assessment page's early start, put into its HTML by hooks.server.ts (never into its data). */
			earlyStart?: { quiz: string; html: string };
		}
	}
}

declare module '*.svx' {
	import type { Component } from 'svelte';
	const component: Component;
	export default component;
	export const metadata: Record<string, unknown>;
}

export {};
