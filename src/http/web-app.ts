/**
 * Serves the web app's production build (web/dist, made by `npm run web:build`) at `/`, with the
 * SPA fallback: a page request (Accept: text/html) outside the API's own paths that names no file
 * answers index.html, so that a reload on /contracts/ctr_… opens the app there. Hashed assets are cached for a year; index.html
 * never (it names the current assets). Without a build, `/` says how to make one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const webDistDirectory = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/** Paths that belong to the server, never to the app: unknown ones there stay a problem+json 404. */
const serverPathPattern = /^\/(v1|docs|openapi\.json|healthz|metrics)(\/|\?|$)/;
/** A last path segment with an extension names a file; a missing file is a 404, not the app. */
const filePathPattern = /\/[^/?]+\.[A-Za-z0-9]+(\?|$)/;

// The app loads only its own scripts and styles; recharts and React set inline style attributes.
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/** Whether the app is built (index.html exists). */
export function webAppBuilt(directory = webDistDirectory): boolean {
  return fs.existsSync(path.join(directory, 'index.html'));
}

/**
 * Whether a request that matched no route should get the app's index.html: a browser asking for a
 * page (Accept: text/html) outside the server's paths. API clients and scripts asking for anything
 * else still get a problem+json 404 for an unknown path.
 */
export function isAppRoute(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  if (!(request.headers.accept ?? '').includes('text/html')) return false;
  return !serverPathPattern.test(request.url) && !filePathPattern.test(request.url);
}

function sendIndex(reply: FastifyReply): FastifyReply {
  return reply
    .header('cache-control', 'no-cache')
    .header('content-security-policy', contentSecurityPolicy)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'same-origin')
    .sendFile('index.html', { cacheControl: false });
}

/** Registers the static files and `/`; returns the fallback for the app's not-found handler. */
export async function registerWebApp(
  app: FastifyInstance,
  directory = webDistDirectory,
): Promise<((request: FastifyRequest, reply: FastifyReply) => FastifyReply) | undefined> {
  if (!webAppBuilt(directory)) {
    app.get('/', { schema: { hide: true } }, async (_request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .send(
          '<!doctype html><title>Tally</title><p>The web app is not built. Run <code>npm run web:build</code> (or <code>npm start</code>, which builds it), or read the API docs at <a href="/docs">/docs</a>.</p>',
        ),
    );
    return undefined;
  }
  // Loaded here, not at the top: CLI commands that never serve (migrate, --help) skip its cost.
  const { default: fastifyStatic } = await import('@fastify/static');
  await app.register(fastifyStatic, {
    root: directory,
    prefix: '/',
    // A catch-all file route serves what a rebuild writes while the server runs; a missing file
    // falls through to the not-found handler (problem+json, or the app for its own paths).
    wildcard: true,
    index: false,
    dotfiles: 'ignore',
    preCompressed: true,
    globIgnore: ['**/*.gz', '**/*.br'],
    cacheControl: false,
    setHeaders: (reply, filePath) => {
      // Vite names assets by their content hash, so a cached copy can never be stale.
      reply.header('cache-control', filePath.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  app.get('/', { schema: { hide: true } }, async (_request, reply) => sendIndex(reply));
  return (_request, reply) => sendIndex(reply);
}
