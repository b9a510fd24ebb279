/**
 * A real Tally for a test suite: a migrated store (PGlite in memory, or a fresh PostgreSQL database
 * when TALLY_TEST_STORE=postgres), the HTTP app, and helpers to call it as different users.
 */
import { describe } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { type AppOptions, buildApp } from '../../src/http/app.ts';
import { type Clock, createClock } from '../../src/platform/clock.ts';
import { inTransaction } from '../../src/platform/context.ts';
import { migrate } from '../../src/platform/migrations.ts';
import { openStore, type Store } from '../../src/platform/store.ts';
import { createApiKey } from '../../src/modules/auth/create-api-key.ts';
import { createUser } from '../../src/modules/auth/create-user.ts';
import { ensureAdminToken } from '../../src/modules/auth/ensure-admin-token.ts';
import { type Role } from '../../src/wire/roles.ts';
import { createFreshDatabase, probePostgres } from './postgres.ts';
import { systemActor } from '../../src/platform/actor.ts';
import type { IntakeStream } from '../../src/platform/intake-stream.ts';
import { embeddedTemplateImage, postgresTemplateName } from './store-templates.ts';

export type TestStoreKind = 'embedded' | 'postgres';
export const storeKind: TestStoreKind = process.env.TALLY_TEST_STORE === 'postgres' ? 'postgres' : 'embedded';
const postgresAvailable = storeKind === 'postgres' ? await probePostgres() : false;

/**
 * `describe` for a suite that runs on the store under test. On the PostgreSQL pass with no server,
 * the suite is skipped, and the global setup reports it loudly: it never counts as passed.
 */
export function describeStore(name: string, body: () => void): void {
  const runnable = storeKind === 'embedded' || postgresAvailable;
  (runnable ? describe : describe.skip)(`${name} [${storeKind}]`, body);
}

export const adminToken = 'tly_test_admin_token_0123456789';

export interface CallOptions {
  token?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface CallResult {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON answers are checked field by field
  text: string;
}

export interface Harness {
  app: FastifyInstance;
  store: Store;
  call(method: string, url: string, options?: CallOptions): Promise<CallResult>;
  /** Another app on the same store and clock, built with other options (closed with the harness); calls to it. */
  sibling(options: Partial<AppOptions>): Promise<Harness['call']>;
  /** Creates a user with a role (and party) and returns its id and a fresh token. */
  user(role: Role, options?: { partyId?: string; email?: string }): Promise<{ id: string; token: string }>;
  /** Counts rows of a table: "nothing written" checks compare counts before and after. */
  count(table: string): Promise<number>;
  /** Moves the pinned clock to another day (closing several months in a row). */
  setToday(date: string): void;
  close(): Promise<void>;
}

let userSequence = 0;

function expectNothingPending(applied: string[]): void {
  if (applied.length > 0) throw new Error(`the migrated template lacked ${applied.join(', ')}: it is stale`);
}

/**
 * A new store of the suite's kind: PGlite in memory, or a fresh PostgreSQL database, which `drop`
 * removes after the store is closed. By default a copy of the run's migrated template (made by the
 * project's global setup: the same as migrating an empty store, but faster); `{ empty: true }` for
 * a store with no migration applied (upgrade tests).
 */
export async function openFreshStore(
  options: { empty?: boolean } = {},
): Promise<{ store: Store; drop: (() => Promise<void>) | undefined }> {
  if (storeKind !== 'postgres') {
    const startImage = options.empty ? undefined : embeddedTemplateImage();
    return { store: await openStore({ dataDir: 'memory://', startImage }), drop: undefined };
  }
  const database = await createFreshDatabase(options.empty ? undefined : postgresTemplateName());
  return { store: await openStore({ databaseUrl: database.url, dataDir: 'memory://', poolSize: 5 }), drop: database.drop };
}

/**
 * How the suites build an app: no logs, answers checked against their schemas, and the limiter
 * lifted, since the suites call as fast as inject allows (fuzzing, 50-way races); limits.test.ts
 * tests the limiter on its own.
 */
export const testAppOptions = {
  logger: false,
  rateLimit: { perMinute: 1_000_000_000, batchPerMinute: 1_000_000_000 },
  checkResponses: true,
  // The suites' webhook receivers listen on 127.0.0.1 (SPEC §9: refused unless allowed).
  allowPrivateTargets: true,
} as const;

/** Starts a Tally on a fresh store with the clock pinned to `today`. */
export async function startHarness(
  options: { today?: string; allowPrivateTargets?: boolean; intake?: IntakeStream } = {},
): Promise<Harness> {
  const { store, drop: dropDatabase } = await openFreshStore();
  // A no-op on the template's copy; it proves the copy holds every migration there is.
  expectNothingPending(await migrate(store));
  let pinned = createClock(options.today ?? '2026-11-25');
  const clock: Clock = { now: () => pinned.now(), today: () => pinned.today() };
  await inTransaction(store.db, clock, systemActor, (context) => ensureAdminToken(context, adminToken));
  const app = await buildApp({
    store,
    clock,
    ...testAppOptions,
    allowPrivateTargets: options.allowPrivateTargets ?? testAppOptions.allowPrivateTargets,
    ...(options.intake === undefined ? {} : { intake: options.intake }),
  });
  await app.ready();

  const callerOf =
    (target: FastifyInstance) =>
    async (method: string, url: string, callOptions: CallOptions = {}): Promise<CallResult> => {
      const token = callOptions.token === undefined ? adminToken : callOptions.token;
      const headers: Record<string, string> = { ...(callOptions.headers ?? {}) };
      if (token !== null) headers.authorization = `Bearer ${token}`;
      const payload =
        callOptions.body === undefined
          ? undefined
          : typeof callOptions.body === 'string'
            ? callOptions.body
            : JSON.stringify(callOptions.body);
      if (payload !== undefined && headers['content-type'] === undefined) headers['content-type'] = 'application/json';
      const response = await target.inject({ method: method as 'GET', url, headers, payload });
      let body: unknown;
      try {
        body = response.body === '' ? undefined : JSON.parse(response.body);
      } catch {
        body = undefined;
      }
      return { status: response.statusCode, headers: response.headers, body, text: response.body };
    };

  const call = callerOf(app);
  const siblings: FastifyInstance[] = [];

  return {
    app,
    store,
    call,
    async sibling(appOptions) {
      const other = await buildApp({ store, clock, ...testAppOptions, ...appOptions });
      await other.ready();
      siblings.push(other);
      return callerOf(other);
    },
    async user(role, userOptions = {}) {
      userSequence += 1;
      const email = userOptions.email ?? `${role}-${userSequence}-${Date.now()}@test.tally.dev`;
      return inTransaction(store.db, clock, systemActor, async (context) => {
        const user = await createUser(context, { email, name: `${role} ${userSequence}`, role, partyId: userOptions.partyId });
        const key = await createApiKey(context, user.id, 'test');
        return { id: user.id, token: key.token };
      });
    },
    async count(table) {
      const result = await sql<{ count: number }>`select count(*)::int as count from ${sql.table(table)}`.execute(store.db);
      return result.rows[0]?.count ?? 0;
    },
    setToday(date) {
      pinned = createClock(date);
    },
    async close() {
      for (const other of siblings) await other.close();
      await app.close();
      await store.close();
      await dropDatabase?.();
    },
  };
}
