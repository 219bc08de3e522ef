import { closeSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';

/** A lock file older than this is left over by a process that died holding it, and is taken over. */
export const STALE_LOCK_MS = 10_000;
/** Longest wait for a lock another process holds (past the stale age, so a dead holder's lock is taken over first). */
const LOCK_WAIT_MS = STALE_LOCK_MS + 5_000;
const RETRY_MS = 10;

/** A lock that could not be taken; the message names the lock file. */
export class FileLockError extends Error {
  override name = 'FileLockError';
}

const pause = new Int32Array(new SharedArrayBuffer(4));
/** Waits without giving the event loop back: the changes it guards are a few milliseconds of synchronous file work. */
const sleepSync = (ms: number): void => void Atomics.wait(pause, 0, 0, ms);

/**
 * Runs `work` holding `lockPath`, a file created exclusively (O_EXCL: it fails when the file, or
 * a link of that name, exists), and removes it after. Another process's lock is waited for; one
 * older than {@link STALE_LOCK_MS} is removed as left over by a crash.
 */
export function withFileLock<T>(lockPath: string, work: () => T): T {
  const deadline = Date.now() + LOCK_WAIT_MS;
  while (!tryLock(lockPath)) {
    removeIfStale(lockPath);
    if (Date.now() > deadline) {
      throw new FileLockError(`the lock file ${lockPath} is held by another process (a tokens command or a console); try again, or remove it if none runs`);
    }
    sleepSync(RETRY_MS);
  }
  try {
    return work();
  } finally {
    rmSync(lockPath, { force: true });
  }
}

function tryLock(lockPath: string): boolean {
  let fd: number;
  try {
    fd = openSync(lockPath, 'wx', 0o600);
  } catch (error) {
    if ((error as { code?: string }).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, `${hostname()} ${process.pid}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Removes a lock older than the stale age, unless another process replaced it meanwhile (its inode changed). */
function removeIfStale(lockPath: string): void {
  const before = statOrNull(lockPath);
  if (!before || Date.now() - before.mtimeMs < STALE_LOCK_MS) return;
  if (statOrNull(lockPath)?.ino === before.ino) rmSync(lockPath, { force: true });
}

function statOrNull(path: string): { mtimeMs: number; ino: number } | null {
  try {
    return statSync(path);
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return null;
    throw error;
  }
}
