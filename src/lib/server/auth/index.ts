/**
 * Who is asking: staff accounts (argon2id passwords), learner PINs, database sessions behind an
 * httpOnly cookie, and rate limits on every sign-in. Server-only; imports $lib/server/db, never
 * $lib/client or $lib/components. Refusals are Kit `error(4xx, 'message en français')`.
 */
export * from './accounts';
export * from './rate-limit';
export * from './secrets';
export * from './sessions';
export * from './validation';
export * from './handle';
