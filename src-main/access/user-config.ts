import { randomBytes } from 'node:crypto';
import { closeSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** `$XDG_CONFIG_HOME/jobdeck/<name>`, else `~/.config/jobdeck/<name>`: the user's files, never the repository's. */
export function userConfigFile(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const configHome = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(configHome, 'jobdeck', name);
}

/**
 * Replaces `path` with `text`, readable by the user only (mode 0600): a temporary file of a
 * random name, created exclusively, renamed over the old one, so a reader never sees half a file.
 */
export function writePrivateFile(path: string, text: string): void {
  // A random name created exclusively: a file or link planted at a guessable name is never written through.
  const temporary = `${path}.${randomBytes(8).toString('hex')}.tmp`;
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(temporary, path);
  } catch (error) {
    unlinkSync(temporary);
    throw error;
  }
}
