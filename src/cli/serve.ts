/** `tally serve`: migrate, bootstrap the admin token, seed the demo book when asked, and listen. */
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../http/app.ts';
import { type Config, ConfigError } from '../platform/config.ts';
import { inTransaction } from '../platform/context.ts';
import { ensureAdminToken } from '../modules/auth/index.ts';
import { hasAnyParty } from '../modules/parties/index.ts';
import { type DemoSeedResult, demoPassword, holdsDemoBook, seedDemo } from '../modules/demo/index.ts';
import { announceLocalServer, newLocalToken } from '../platform/local-server.ts';
import { defaultLogFormat } from '../http/logging.ts';
import { startBackgroundWork } from './background.ts';
import { type IntakeStream, openIntakeStream } from '../platform/intake-stream.ts';
import { billDemo } from '../modules/demo/index.ts';
import { openMigratedStore } from './runtime.ts';
import { systemActor } from '../platform/actor.ts';

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
  let app: FastifyInstance | undefined;
  let intake: IntakeStream | undefined;
  try {
    if (config.adminToken !== undefined) {
      await inTransaction(store.db, clock, systemActor, (context) => ensureAdminToken(context, config.adminToken as string));
    }
    if (seedWanted && !(await hasAnyParty(store.db))) {
      seeded = await inTransaction(store.db, clock, systemActor, seedDemo);
      await billDemo(store.db, clock, seeded);
    }
    // The demo users' passwords are in the README: such a store answers this machine only, unless HOST says otherwise.
    const demoBook = seeded !== undefined || (await holdsDemoBook(store.db));
    const host = config.host ?? (demoBook ? '127.0.0.1' : '0.0.0.0');
    // The tally command reaches a server that owns an embedded folder with this token (src/platform/local-server.ts).
    const folder = store.kind === 'embedded' && config.dataDir !== 'memory://' ? config.dataDir : undefined;
    const localToken = folder === undefined ? undefined : newLocalToken();
    // Intake through NATS JetStream (SPEC §11): the stream and its consumer are made if missing.
    intake =
      config.natsUrl === undefined
        ? undefined
        : await openIntakeStream(config.natsUrl, { replicas: config.natsReplicas, ackWaitMs: config.natsAckWaitMs });
    app = await buildApp({
      ...(intake === undefined ? {} : { intake }),
      store,
      clock,
      logger: { level: config.logLevel, format: config.logFormat ?? defaultLogFormat() },
      rateLimit: { perMinute: config.rateLimitPerMinute, batchPerMinute: config.rateLimitBatchPerMinute },
      readCache: config.readCache,
      allowPrivateTargets: config.allowPrivateTargets,
      billingPartitionParties: config.billingPartitionParties,
      localToken,
    });
    const server = app;
    await app.listen({ port: config.port, host }).catch((error: unknown) => {
      // Port 3000 is a popular default: say what to do rather than EADDRINUSE.
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      throw new ConfigError(
        `Port ${config.port} is already in use on ${host}: stop what listens there, or choose another with PORT or --port`,
      );
    });
    // Background work starts once the server is up; events written meanwhile simply wait in the outbox.
    const background = startBackgroundWork({
      store,
      clock,
      logger: app.log,
      allowPrivateTargets: config.allowPrivateTargets,
      intake,
      crashBeforeAck: config.faultCrashBeforeAck,
    });
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.port;
    const boundAddress = typeof address === 'object' && address !== null ? address.address : host;
    const withdrawLocalServer =
      folder !== undefined && localToken !== undefined
        ? announceLocalServer(folder, { url: `http://${hostForUrl(localAddressOf(boundAddress))}:${port}`, token: localToken })
        : undefined;
    app.log.info({ store: store.kind, location: store.location, startupMs: Math.round(performance.now() - startedAt) }, 'tally is serving');
    printWelcome(config, { baseUrl: `http://${publicHostOf(host)}:${port}`, host, demoBook }, store.kind, seeded);
    const stop = async () => {
      withdrawLocalServer?.();
      await background.stop();
      await closeWithin(server, shutdownGraceMs);
      await intake?.close();
      await store.close();
    };
    return { app, stop };
  } catch (error) {
    // A failed start (the port is taken, …) frees the folder for the next attempt.
    await app?.close().catch(() => undefined);
    await intake?.close().catch(() => undefined);
    await store.close().catch(() => undefined);
    throw error;
  }
}

/** How long a stopping server lets requests in flight finish before it closes their connections. */
export const shutdownGraceMs = 10_000;

/**
 * Stops accepting connections and waits for the requests in flight, at most `graceMs`: then the
 * connections still open are closed, so that a client that never reads its answer (or keeps a
 * request open) cannot hold up a shutdown.
 */
async function closeWithin(server: FastifyInstance, graceMs: number): Promise<void> {
  const deadline = setTimeout(() => {
    server.log.warn({ graceMs }, 'requests still open at shutdown: closing their connections');
    server.server.closeAllConnections();
  }, graceMs);
  try {
    await server.close();
  } finally {
    clearTimeout(deadline);
  }
}

const loopbackHosts = new Set(['localhost', '::1']);

/** Whether `host` is an address of this machine only. */
function isLoopback(host: string): boolean {
  return loopbackHosts.has(host) || host.startsWith('127.');
}

/** Whether `host` means every interface. */
function isEveryInterface(host: string): boolean {
  return host === '0.0.0.0' || host === '::';
}

/** The host a person types: localhost for this machine or every interface, else the one address. */
function publicHostOf(host: string): string {
  return isLoopback(host) || isEveryInterface(host) ? 'localhost' : hostForUrl(host);
}

/** The address this machine reaches the server on: loopback when it listens on every interface. */
function localAddressOf(address: string): string {
  if (address === '0.0.0.0') return '127.0.0.1';
  if (address === '::') return '::1';
  return address;
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

function credentialsFile(config: Config): string | undefined {
  return config.databaseUrl === undefined && config.dataDir !== 'memory://' ? `${config.dataDir}.demo-credentials.json` : undefined;
}

interface Listening {
  baseUrl: string;
  host: string;
  demoBook: boolean;
}

function printWelcome(config: Config, listening: Listening, kind: string, seeded: DemoSeedResult | undefined): void {
  const { baseUrl } = listening;
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
    `  ${reachNote(config, listening)}`,
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

/** Who can reach the server, and why. */
function reachNote(config: Config, { host, demoBook }: Listening): string {
  if (isLoopback(host))
    return config.host === undefined
      ? `Listening on ${host}, this machine only: the demo users' passwords are public (HOST=0.0.0.0 to serve the network)`
      : `Listening on ${host}, this machine only`;
  if (!isEveryInterface(host)) return `Listening on ${host} only`;
  return demoBook
    ? `Listening on every interface (HOST=${host}): anyone who reaches this machine can sign in with the demo passwords`
    : `Listening on every interface (HOST=${host})`;
}
