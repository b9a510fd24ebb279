/**
 * Support for the many-nodes test (SPEC §11): several `tally serve` processes and a `tally worker`
 * on one fresh PostgreSQL database, plain `fetch` calls to any of them, and a webhook receiver on
 * 127.0.0.1 that records what it is sent. Every wait is bounded, and stopping never hangs: SIGTERM,
 * then SIGKILL after serverLimits.stopTimeoutMs.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFreshDatabase } from './postgres.ts';
import {
  type ChildExit,
  serverLimits,
  spawnTally,
  startTallyServer,
  type TallyChild,
  type TallyServer,
  tallyEnvironment,
} from './fault-server.ts';

/** The line `tally worker` logs once it is migrated and its background work has started (src/cli/worker.ts). */
const workerReadyLine = 'tally worker is running';

/** SIGTERM, then SIGKILL once the stop timeout has passed; resolves with the exit. */
export async function stopChild(started: TallyChild): Promise<ChildExit> {
  if (!started.hasExited()) started.child.kill('SIGTERM');
  const timer = setTimeout(() => started.child.kill('SIGKILL'), serverLimits.stopTimeoutMs);
  const exit = await started.exited;
  clearTimeout(timer);
  return exit;
}

/** Starts `tally worker` and resolves once it says it runs; it logs at info level so that the line is there to see. */
export async function startTallyWorker(variables: Record<string, string>): Promise<TallyChild> {
  const started = spawnTally(['worker'], tallyEnvironment({ ...variables, LOG_LEVEL: 'info', LOG_FORMAT: 'json' }));
  const deadline = performance.now() + serverLimits.startupTimeoutMs;
  while (!started.output().includes(workerReadyLine)) {
    if (started.hasExited())
      throw new Error(`tally worker exited before it was ready (${JSON.stringify(await started.exited)}):\n${started.output()}`);
    if (performance.now() > deadline) {
      await stopChild(started);
      throw new Error(`tally worker did not start within ${serverLimits.startupTimeoutMs} ms:\n${started.output()}`);
    }
    await sleep(serverLimits.healthPollIntervalMs);
  }
  return started;
}

export interface Cluster {
  nodes: TallyServer[];
  worker: TallyChild;
  databaseUrl: string;
  /** Stops every process (all at once, each SIGTERM then SIGKILL) and drops the database. */
  stop(): Promise<void>;
}

/**
 * A fresh, empty database, `nodeCount` servers and one worker on it, all with the same variables.
 * The first server migrates the database; the others and the worker start together once it is up
 * (each runs the migrations again under the advisory lock, and finds nothing left to do).
 */
export async function startCluster(nodeCount: number, variables: Record<string, string>): Promise<Cluster> {
  const database = await createFreshDatabase();
  const environment = { ...variables, DATABASE_URL: database.url };
  const children: TallyChild[] = [];
  const stop = async () => {
    await Promise.all(children.map(stopChild));
    await database.drop();
  };
  try {
    const first = await startTallyServer(environment);
    children.push(first);
    const rest = Array.from({ length: nodeCount - 1 }, () => startTallyServer(environment));
    const worker = startTallyWorker(environment);
    const settled = await Promise.allSettled([...rest, worker]);
    for (const result of settled) if (result.status === 'fulfilled') children.push(result.value);
    const failed = settled.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    const nodes = children.slice(0, nodeCount) as TallyServer[];
    return { nodes, worker: children[nodeCount] as TallyChild, databaseUrl: database.url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

export interface NodeAnswer {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers are checked field by field
  body: any;
  text: string;
}

export interface NodeCallOptions {
  /** An API key; none for a call signed in with a cookie, or not at all. */
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** One request to a node, JSON in and out; rejects on a network error or after the request timeout. */
export async function callNode(node: TallyServer, method: string, url: string, options: NodeCallOptions = {}): Promise<NodeAnswer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${node.baseUrl}${url}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(serverLimits.requestTimeoutMs),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, body, text };
}

/** What the receiver was sent: one entry per request, in the order they arrived. */
export interface ReceivedWebhook {
  eventId: string;
  eventType: string;
  deliveryId: string;
  data: Record<string, unknown>;
}

export interface WebhookReceiver {
  /** The URL to register as an endpoint. */
  url: string;
  received: ReceivedWebhook[];
  close(): Promise<void>;
}

/**
 * A real HTTP receiver on 127.0.0.1 that answers 200 to every POST after `delayMs`: the delay keeps
 * each delivery in flight for a while, so that several dispatchers overlap if they can.
 */
export async function startWebhookReceiver(delayMs: number): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const payload = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: string; type: string; data: Record<string, unknown> };
      received.push({
        eventId: payload.id,
        eventType: payload.type,
        deliveryId: String(request.headers['tally-delivery']),
        data: payload.data,
      });
      setTimeout(() => response.writeHead(200, { 'content-type': 'text/plain' }).end('ok'), delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/tally`,
    received,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Polls `check` until it answers a value other than undefined; throws with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, timeoutMs: number, intervalMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(intervalMs);
  }
}

export const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));
