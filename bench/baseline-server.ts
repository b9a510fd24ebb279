/**
 * The baseline for the read benchmark: a bare Fastify server (no logger, no hooks, no database) with
 * one route returning a small JSON body. It listens on 127.0.0.1:PORT until SIGTERM.
 */
import Fastify from 'fastify';

const port = Number.parseInt(process.env.PORT ?? '', 10);
if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error('PORT must name the port to listen on');

const app = Fastify({ logger: false });
app.get('/healthz', async () => ({ status: 'ok' }));
// The postback benchmark's baseline: the least a route can answer.
app.get('/empty', async () => ({}));
app.get('/hello', async () => ({ id: 'ctr_baseline', number: 'IO-2026-0001', status: 'active', currentVersion: 2 }));
await app.listen({ port, host: '127.0.0.1' });
process.once('SIGTERM', () => {
  app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
