/**
 * Migrated store templates, made once per run (by the projects' global setup) and copied for every
 * suite's fresh store, so that some 80 suites do not each replay every migration: an in-memory
 * PGlite cluster image on disk for the embedded store (beside the initdb template of the same
 * PGlite version, src/platform/pglite-template.ts), a template database on PostgreSQL
 * (`create database … template …`, a file copy in the server). Both are keyed by the migrations'
 * text, so a changed migration makes a new template and never a stale store.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { listMigrations, migrate } from '../../src/platform/migrations.ts';
import { templatePaths } from '../../src/platform/pglite-template.ts';
import { openStore } from '../../src/platform/store.ts';
import { serverUrl, withDatabase } from './postgres.ts';
import { fixtureRatesSql } from './fx-fixture.ts';

/**
 * How the embedded test template is set up beyond the migrations: 16 MB of shared buffers instead
 * of PostgreSQL's 128 MB, which a store zeroes as it starts (about 0.1 s of CPU of each suite's
 * start; the suites' data is a few MB). Part of the key, so a changed setting makes a new template.
 */
const embeddedSettings = [`alter system set shared_buffers = '16MB'`];

/** A digest of every migration's name and text, and of the settings above. */
function templateKey(): string {
  const hash = createHash('sha256');
  for (const setting of embeddedSettings) hash.update(`${setting}\n`);
  hash.update(`${fixtureRatesSql}\n`);
  for (const migration of listMigrations()) hash.update(`${migration.name}\n${migration.sqlText}\n`);
  return hash.digest('hex').slice(0, 16);
}

/** Where this run's embedded template lives: in the folder of this PGlite version's templates. */
export function embeddedTemplatePath(): string {
  return path.join(path.dirname(templatePaths().tarball), `test-migrated-${templateKey()}.tar`);
}

/** The name of this run's PostgreSQL template database. */
export function postgresTemplateName(): string {
  return `tally_test_template_${templateKey()}`;
}

/** Makes the embedded template if it is missing (written aside, then renamed: never half a file). */
export async function ensureEmbeddedTemplate(): Promise<void> {
  const target = embeddedTemplatePath();
  if (fs.existsSync(target)) return;
  // Templates of earlier migrations are of no further use in this checkout.
  const folder = path.dirname(target);
  for (const file of fs.existsSync(folder) ? fs.readdirSync(folder) : []) {
    if (/^test-migrated-[0-9a-f]+\.tar$/.test(file)) fs.rmSync(path.join(folder, file), { force: true });
  }
  const store = await openStore({ dataDir: 'memory://' });
  try {
    await migrate(store);
    await sql.raw(fixtureRatesSql).execute(store.db);
    // ALTER SYSTEM writes postgresql.auto.conf, read when a copy starts; it cannot run in a transaction.
    for (const setting of embeddedSettings) await sql.raw(setting).execute(store.db);
    const image = await store.image!();
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(`${target}.${process.pid}`, Buffer.from(await image.arrayBuffer()));
    fs.renameSync(`${target}.${process.pid}`, target);
  } finally {
    await store.close();
  }
}

/**
 * The image as PGlite reads it: it asks a Blob for its bytes (`arrayBuffer()`) and only reads them
 * (untars them into its memory file system, which copies each file). A Blob answers with a fresh
 * copy of all 41 MB each time, a tenth of a store's start; this one answers with the same bytes.
 */
class SharedImage extends Blob {
  readonly #bytes: ArrayBuffer;
  constructor(bytes: ArrayBuffer) {
    super([bytes]);
    this.#bytes = bytes;
  }
  override arrayBuffer(): Promise<ArrayBuffer> {
    return Promise.resolve(this.#bytes);
  }
}

/** The embedded template's image, read once per worker. */
let embeddedImage: Blob | undefined;
export function embeddedTemplateImage(): Blob {
  if (!embeddedImage) {
    const file = fs.readFileSync(embeddedTemplatePath());
    embeddedImage = new SharedImage(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength));
  }
  return embeddedImage;
}

/**
 * Makes the PostgreSQL template database if it is missing: migrated under a scratch name, then
 * renamed, so no suite ever copies half of one. Older templates are dropped when nothing uses them
 * (another checkout's run may be copying its own right now: that one is left alone).
 */
export async function ensurePostgresTemplate(): Promise<void> {
  const name = postgresTemplateName();
  const admin = new pg.Client({ connectionString: serverUrl() });
  await admin.connect();
  try {
    const existing = await admin.query<{ datname: string }>(`select datname from pg_database where datname like 'tally_test_template_%'`);
    for (const { datname } of existing.rows) {
      if (datname !== name) await admin.query(`drop database if exists ${datname}`).catch(() => undefined);
    }
    if (existing.rows.some((row) => row.datname === name)) return;
    const scratch = `${name}_${process.pid}`;
    await admin.query(`drop database if exists ${scratch} with (force)`);
    await admin.query(`create database ${scratch}`);
    const store = await openStore({ databaseUrl: withDatabase(serverUrl(), scratch), dataDir: 'memory://', poolSize: 1 });
    try {
      await migrate(store);
      await sql.raw(fixtureRatesSql).execute(store.db);
    } finally {
      await store.close();
    }
    // Two runs may have made it at once: the first rename wins, the other's copy goes.
    await admin.query(`alter database ${scratch} rename to ${name}`).catch(async (error: unknown) => {
      await admin.query(`drop database if exists ${scratch}`);
      const made = await admin.query(`select 1 from pg_database where datname = $1`, [name]);
      if (made.rowCount === 0) throw error;
    });
  } finally {
    await admin.end();
  }
}
