/**
 * The OpenAPI document exactly as `GET /openapi.json` serves it, built without a database or a
 * listening socket: the document depends on the routes alone, so the app is assembled on a store
 * that refuses every query. Run directly, it prints the document:
 * `node --import tsx scripts/api-document.ts > openapi.json`.
 */
import { fileURLToPath } from 'node:url';
import { buildApp } from '../src/http/app.ts';
import { createClock } from '../src/platform/clock.ts';
import type { Store } from '../src/platform/store.ts';

/** A store for building the app only: any use of its database is a mistake, said loudly. */
function documentOnlyStore(): Store {
  const refuse = () => {
    throw new Error('the API document is built without a database; nothing may query it');
  };
  return {
    db: new Proxy({}, { get: refuse }) as Store['db'],
    kind: 'embedded',
    location: '(none: document only)',
    execScript: async () => refuse(),
    close: async () => {},
  };
}

/** The app's OpenAPI document, as a plain JSON value. */
export async function buildApiDocument(): Promise<Record<string, unknown>> {
  const app = await buildApp({ store: documentOnlyStore(), clock: createClock(), logger: false });
  try {
    await app.ready();
    // A JSON round trip: the same text the route serves, and no shared objects with the app.
    return JSON.parse(JSON.stringify(app.swagger())) as Record<string, unknown>;
  } finally {
    await app.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(`${JSON.stringify(await buildApiDocument(), null, 2)}\n`);
}
