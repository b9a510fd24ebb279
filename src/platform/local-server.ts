/**
 * How the CLI reaches a `tally serve` that owns an embedded data folder. One process owns a PGlite
 * folder (directory-lock.ts), so while a server runs on it, `tally audit verify`, `export`, `keys
 * create` and the like cannot open it; instead they ask the server over loopback HTTP. The server
 * leaves its address and a random token of its own beside the folder, readable by its owner only;
 * the token is good for this process's life, from this machine, on the CLI's routes only
 * (src/http/local-access.ts; docs/decisions.md, "The command line and a running server").
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';

/** What a running server leaves beside its data folder. */
export interface LocalServer {
  pid: number;
  /** A loopback URL (or the one address the server listens on). */
  url: string;
  token: string;
}

/** `<dataDir>.server.json`, beside the lock and the demo credentials. */
export function localServerFile(dataDir: string): string {
  return `${dataDir}.server.json`;
}

/** A new local token: `tlc_` and 32 random bytes, base64url (256 bits). */
export function newLocalToken(): string {
  return `tlc_${randomBytes(32).toString('base64url')}`;
}

/** Writes the file (mode 0600, created afresh and renamed into place); answers a function that removes it. */
export function announceLocalServer(dataDir: string, server: { url: string; token: string }): () => void {
  const file = localServerFile(dataDir);
  const candidate = `${file}.${process.pid}`;
  fs.rmSync(candidate, { force: true });
  // 'wx' creates a new file and never follows a link left at that path; the mode applies on creation.
  fs.writeFileSync(candidate, JSON.stringify({ pid: process.pid, url: server.url, token: server.token }), { mode: 0o600, flag: 'wx' });
  fs.renameSync(candidate, file);
  let removed = false;
  const remove = (): void => {
    if (removed) return;
    removed = true;
    if (readLocalServer(file)?.pid === process.pid) fs.rmSync(file, { force: true });
    process.off('exit', remove);
  };
  process.on('exit', remove);
  return remove;
}

/**
 * The server that process `pid` announced for `dataDir`, if it did. A file left by a server that
 * died names another pid and is ignored; so is one that another user wrote (it could point the
 * CLI at a server of theirs).
 */
export function findLocalServer(dataDir: string, pid: number): LocalServer | undefined {
  const file = localServerFile(dataDir);
  try {
    const stat = fs.statSync(file);
    if (typeof process.getuid === 'function' && stat.uid !== process.getuid()) return undefined;
  } catch {
    return undefined;
  }
  const server = readLocalServer(file);
  return server?.pid === pid ? server : undefined;
}

function readLocalServer(file: string): LocalServer | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LocalServer>;
    if (typeof parsed.pid !== 'number' || typeof parsed.url !== 'string' || typeof parsed.token !== 'string') return undefined;
    return { pid: parsed.pid, url: parsed.url, token: parsed.token };
  } catch {
    return undefined;
  }
}
