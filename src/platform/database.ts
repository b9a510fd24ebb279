/**
 * The whole schema as Kysely sees it. Each module declares its own tables into `Database` from its
 * `*.table.ts` (TypeScript declaration merging), so that this file, like all of platform/, knows
 * no module; which module owns which table is then written once, beside the table.
 */
import type { Kysely, Transaction } from 'kysely';
import './platform.table.ts';

// Filled by declaration merging: `declare module '…/platform/database.ts' { interface Database { … } }`.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Database {}

/** Either the pool or an open transaction: repositories take this. */
export type Executor = Kysely<Database> | Transaction<Database>;
export type Tx = Transaction<Database>;

/**
 * A statement whose text begins with this comment is prepared on its PostgreSQL connection the first
 * time it runs there and executed by name after (src/platform/store.ts): planned once, not on every
 * request. For hot reads whose text is one of a few (the filters change it, the values do not).
 */
export const preparedStatementMarker = '/* prepared */';
