/** One process owns an embedded data folder at a time: PGlite keeps no lock of its own. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A live process holds the folder; the CLI may still reach it when that process is `tally serve`. */
export class StoreLockedError extends Error {
  constructor(
    message: string,
    readonly dataDir: string,
    readonly holderPid: number,
  ) {
    super(message);
  }
}

interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
}

/** Takes `<dataDir>.lock`, taking over a lock whose owner process has died; throws StoreLockedError when a live process holds it. */
export function acquireDirectoryLock(dataDir: string): { release: () => void } {
  const lockPath = `${dataDir}.lock`;
  fs.mkdirSync(path.dirname(lockPath), { recursive: true });
  const owner: LockOwner = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString() };
  // Written to a private file first and then hard-linked into place: link() fails when the lock
  // exists, so two processes can never both believe they created it.
  const candidate = `${lockPath}.${process.pid}`;
  fs.writeFileSync(candidate, JSON.stringify(owner));
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        fs.linkSync(candidate, lockPath);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt === 1) throw error;
        const holder = readOwner(lockPath);
        if (holder !== undefined && holder.pid !== process.pid && isAlive(holder)) {
          throw new StoreLockedError(
            `The data folder ${dataDir} is in use by process ${holder.pid} (since ${holder.startedAt}). ` +
              'Stop that process first, or point TALLY_DATA_DIR at another folder.',
            dataDir,
            holder.pid,
          );
        }
        // The owner died without releasing: take the lock over.
        fs.rmSync(lockPath, { force: true });
      }
    }
  } finally {
    fs.rmSync(candidate, { force: true });
  }
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    const holder = readOwner(lockPath);
    if (holder?.pid === process.pid) fs.rmSync(lockPath, { force: true });
    process.off('exit', release);
  };
  process.on('exit', release);
  return { release };
}

function readOwner(lockPath: string): LockOwner | undefined {
  try {
    return JSON.parse(fs.readFileSync(lockPath, 'utf8')) as LockOwner;
  } catch {
    return undefined;
  }
}

function isAlive(owner: LockOwner): boolean {
  // A lock from another host (a shared folder) cannot be checked: treat it as held.
  if (owner.host !== os.hostname()) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
