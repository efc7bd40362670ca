/**
 * Course content: the schema of every file in courses/, the loader that turns them into a
 * catalogue, and the validator that tells an author what to fix. Pure TypeScript: imports no
 * Svelte, no browser API and nothing from $lib/server, $lib/client or $lib/components.
 */
export * from './loader';
export * from './problems';
export * from './schema';
export { parseLesson, LESSON_COMPONENTS, CALLOUT_TYPES } from './lesson-source';
export type { ComponentUse, Heading } from './lesson-source';
export { localize, lessonText, type Locale } from './localize';
