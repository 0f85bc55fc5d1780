/**
 * Canonical file schemas and the validators that turn parsed CSV columns into the in-memory data
 * model of `types.ts` plus a `LossReport`, split by concept under `schema/`: table definitions
 * (tables.ts), date texts (dates.ts), the row ledger (ledger.ts), long rows to panels (grid.ts),
 * bar files (bars.ts) and record files (records.ts). This index re-exports them.
 *
 * Policy:
 * - Structural problems throw a `RotationError`: missing file, empty file, undecodable encoding
 *   (all in csv.ts), a missing required column (`DATA_MISSING_COLUMN`, listing expected and
 *   found), duplicate keys such as (date, code) (`DATA_DUPLICATE_KEY`), overlapping membership
 *   windows for one stock (`DATA_MEMBERSHIP_OVERLAP`), index weights not summing to 100 % within
 *   0.5 pp on a date (`DATA_WEIGHTS_NOT_100`, unless `renormalize`).
 * - Row-level problems are dropped (the row is unusable) or masked (the cell becomes NaN, the rest
 *   of the row is kept) and counted with row/column examples; with `{ strict: true }` the first
 *   one throws instead. Each row is counted once, under its first problem, so
 *   rowsRead = rowsKept + sum(dropped) holds; `rowsKept` counts rows kept intact, a masked row is
 *   counted under its masking reason. Cell-level mask totals are added to the notes.
 * - Unknown columns are listed in the loss report notes and ignored.
 */
export * from './schema/tables.js';
export * from './schema/dates.js';
export * from './schema/ledger.js';
export * from './schema/grid.js';
export * from './schema/bars.js';
export * from './schema/records.js';
