/** Runs the numbered SQL files in migrations/ in order, each once, each in its own transaction. */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Kysely, sql } from 'kysely';
import type { Database } from './database.ts';
import type { Store } from './store.ts';

const migrationsDirectory = fileURLToPath(new URL('../../migrations/', import.meta.url));

export interface Migration {
  version: number;
  name: string;
  sqlText: string;
}

/** Lists the migrations found on disk, ordered by their number. */
export function listMigrations(directory = migrationsDirectory): Migration[] {
  return fs
    .readdirSync(directory)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => ({
      version: Number.parseInt(file.slice(0, 4), 10),
      name: file.replace(/\.sql$/, ''),
      sqlText: fs.readFileSync(`${directory}/${file}`, 'utf8'),
    }));
}

/**
 * Applies every pending migration (or those up to `through`, for tests of an upgrade); returns the
 * names it applied. Safe when two processes start at once.
 */
export async function migrate(store: Store, options: { through?: number } = {}): Promise<string[]> {
  await store.execScript(
    'create table if not exists schema_migrations (version integer primary key, name text not null, applied_at timestamptz not null default now())',
  );
  const applied: string[] = [];
  for (const migration of listMigrations()) {
    if (options.through !== undefined && migration.version > options.through) break;
    if (await isApplied(store, migration.version)) continue;
    try {
      // The advisory lock makes a second process wait; its attempt then fails on the primary key
      // (or on the DDL) and we find the migration applied by the first.
      await store.execScript(
        `select pg_advisory_xact_lock(727100);\n${migration.sqlText}\n;insert into schema_migrations (version, name) values (${migration.version}, '${migration.name}');`,
      );
      applied.push(migration.name);
    } catch (error) {
      if (await isApplied(store, migration.version)) continue;
      throw new Error(`migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
    }
  }
  return applied;
}

/** Throws unless the store answers and holds the migrations table (what `/healthz` waits for). */
export async function assertMigrated(db: Kysely<Database>): Promise<void> {
  await sql`select version from schema_migrations limit 1`.execute(db);
}

async function isApplied(store: Store, version: number): Promise<boolean> {
  const result = await sql<{ version: number }>`select version from schema_migrations where version = ${version}`.execute(store.db);
  return result.rows.length > 0;
}
