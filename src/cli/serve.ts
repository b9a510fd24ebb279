/** `tally serve`: migrate, bootstrap the admin token, seed the demo book when asked, and listen. */
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../http/app.ts';
import { purgeIdempotencyKeys } from '../http/idempotency.ts';
import type { Config } from '../platform/config.ts';
import { inTransaction } from '../platform/context.ts';
import { systemActor } from '../modules/auth/roles.ts';
import { ensureAdminToken } from '../modules/auth/ensure-admin-token.ts';
import { hasAnyParty } from '../modules/parties/party.repository.ts';
import { type DemoSeedResult, demoPassword, seedDemo } from '../modules/demo/seed-demo.ts';
import { startWebhookDispatcher } from '../modules/webhooks/webhook-dispatcher.ts';
import { billDemo } from '../modules/demo/bill-demo.ts';
import { defaultLogFormat } from '../http/logging.ts';
import { openMigratedStore } from './runtime.ts';

export interface ServeOptions {
  /** `auto` seeds the demo book on a new embedded store (what `npm start` asks for). */
  demo: 'auto' | 'on' | 'off';
}

/** Starts the server and resolves once it listens; returns the app and a function that stops everything. */
export async function serve(config: Config, options: ServeOptions): Promise<{ app: FastifyInstance; stop: () => Promise<void> }> {
  const startedAt = performance.now();
  const { store, clock } = await openMigratedStore(config);
  const seedWanted = config.demo ?? (options.demo === 'on' || (options.demo === 'auto' && store.kind === 'embedded'));
  let seeded: DemoSeedResult | undefined;
  if (config.adminToken !== undefined) {
    await inTransaction(store.db, clock, systemActor, (context) => ensureAdminToken(context, config.adminToken as string));
  }
  if (seedWanted && !(await hasAnyParty(store.db))) {
    seeded = await inTransaction(store.db, clock, systemActor, seedDemo);
    await billDemo(store.db, clock, seeded);
  }
  const app = await buildApp({
    store,
    clock,
    logger: { level: config.logLevel, format: config.logFormat ?? defaultLogFormat() },
    rateLimit: { perMinute: config.rateLimitPerMinute, batchPerMinute: config.rateLimitBatchPerMinute },
    readCache: config.readCache,
  });
  await purgeIdempotencyKeys(store.db);
  const purgeTimer = setInterval(
    () => purgeIdempotencyKeys(store.db).catch((error: unknown) => app.log.warn({ err: error }, 'idempotency purge failed')),
    86_400_000,
  );
  purgeTimer.unref();
  await app.listen({ port: config.port, host: config.host });
  // Deliveries start once the server is up; events written meanwhile simply wait in the outbox.
  const webhookDispatcher = startWebhookDispatcher({ db: store.db, clock, logger: app.log, intervalMs: 1_000 });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const baseUrl = `http://localhost:${port}`;
  app.log.info({ store: store.kind, location: store.location, startupMs: Math.round(performance.now() - startedAt) }, 'tally is serving');
  printWelcome(config, baseUrl, store.kind, seeded);
  const stop = async () => {
    clearInterval(purgeTimer);
    await webhookDispatcher.stop();
    await app.close();
    await store.close();
  };
  return { app, stop };
}

function credentialsFile(config: Config): string | undefined {
  return config.databaseUrl === undefined && config.dataDir !== 'memory://' ? `${config.dataDir}.demo-credentials.json` : undefined;
}

function printWelcome(config: Config, baseUrl: string, kind: string, seeded: DemoSeedResult | undefined): void {
  const file = credentialsFile(config);
  // The demo tokens are shown once by the API; for a local demo they are also kept beside the data
  // folder (mode 0600) so that a restart can show them again.
  if (seeded && file) fs.writeFileSync(file, JSON.stringify(seeded.credentials, null, 2), { mode: 0o600 });
  const credentials =
    seeded?.credentials ??
    (file && fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as DemoSeedResult['credentials']) : undefined);
  const lines = [
    ``,
    `Tally is running on ${baseUrl} (${kind} store${kind === 'embedded' ? `: ${config.dataDir}` : ''})`,
    `  API docs:  ${baseUrl}/docs`,
    `  OpenAPI:   ${baseUrl}/openapi.json`,
    `  Health:    ${baseUrl}/healthz`,
  ];
  if (credentials) {
    lines.push(``, seeded ? `Seeded the demo book. Sign in with any of these:` : `Demo book users:`);
    for (const credential of credentials)
      lines.push(`  ${credential.role.padEnd(8)} ${credential.email.padEnd(28)} token ${credential.token}`);
    lines.push(
      `  (web password for every demo user: ${demoPassword})`,
      `Try: curl -H "Authorization: Bearer ${credentials[0]?.token}" ${baseUrl}/v1/contracts`,
    );
  } else if (config.adminToken === undefined) {
    lines.push(``, `No demo book. Set TALLY_ADMIN_TOKEN to bootstrap an admin key, or run ./bin/tally users create / keys create.`);
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
}
