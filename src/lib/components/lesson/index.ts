// The components an author may place in a lesson (see LESSON_COMPONENTS in $lib/content).
export { default as Callout } from './Callout.svelte';
export { default as Check } from './Check.svelte';
export { default as Scenario } from './Scenario.svelte';
export { default as Term } from './Term.svelte';
