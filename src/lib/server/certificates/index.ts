/**
 * Certificates on the server: the Ed25519 signing key (environment or data directory), issuing a
 * certificate when the shared fold of a cohort learner's events says a course is complete,
 * verification by code, and revocation by staff. Server-only; imports $lib/server/db,
 * $lib/certificates and $lib/progress (by relative path), never $lib/client.
 */
export * from './issue';
export * from './keys';
export * from './queries';
export * from './deliver';
