/**
 * Sync: learners' pushed events stored once (the event id is the idempotency key) and folded
 * into the aggregates dashboards read, with the shared reducer from $lib/progress; and the pull
 * of a learner's events by cursor. Server-only; never imports $lib/client. The dashboard's cards
 * (cards.ts) need the course catalogue, an import.meta.glob: scripts load this module through
 * Vite (bench/sync.ts, torture/sync-server.ts, scripts/demo.ts).
 *
 * Pull cursor: `events.seq`, a rank in the learner's own log, unique per (learner_id, seq). It is
 * handed out by the ingest transaction while it holds the learner's learner_progress row (FOR
 * UPDATE on PostgreSQL, the write lock on SQLite), so for one learner seq order is commit order:
 * a pull never skips an event that commits later. A global bigserial would not give that on
 * PostgreSQL (sequence values are taken before commit, commits land in another order), and a
 * global counter row would serialise every learner's pushes behind one lock. Gaps are allowed.
 */
export * from './aggregates';
export * from './ingest';
export * from './pull';
