/**
 * Progress is a log of learning events: this folder owns the event model (`LearningEvent`, its
 * valibot schema, the drafts the quiz engine emits) and the pure reducer that folds events into
 * progress (`reduce`, `fold`, `courseProgress`): order- and duplicate-independent, so two devices'
 * logs merge by union. Shared by the browser and the server, so it stays plain TypeScript: it
 * imports no Svelte, no browser API, no Dexie, no node: module, and nothing from $lib/client,
 * $lib/server or $lib/components.
 */
export * from './events';
export * from './reduce';
