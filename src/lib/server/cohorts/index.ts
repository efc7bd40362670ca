/**
 * Cohorts: an instructor's groups of learners, their join codes, and the learner accounts made
 * by joining one (display name, optional service number, PIN; no e-mail). Server-only; imports
 * $lib/server/db and $lib/server/auth, never $lib/client or $lib/components.
 */
export * from './cohorts';
export * from './join-code';
export * from './learners';
