import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { userConfigFile, writePrivateFile } from './user-config';
import { z } from 'zod';
import { tokenRoleSchema, type TokenRole, type TokenSummary } from '../../src-shared/token-schemas';
import type { Actor } from './actor';
import { newToken, tokenHash, tokenMatches } from './token-secret';
import { FileLockError, withFileLock } from './file-lock';

/** One stored token: its name, role and creation time, and the SHA-256 of its text (never the text). */
const storedTokenSchema = z.object({
  name: z.string(),
  role: tokenRoleSchema,
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  created_at: z.string(),
});
type StoredToken = z.output<typeof storedTokenSchema>;
const tokensFileSchema = z.object({ version: z.literal(1), tokens: z.array(storedTokenSchema) });

/** A tokens file that cannot be read or is not what this module writes; the message names the file. */
export class TokensFileError extends Error {
  override name = 'TokensFileError';
}

/** `JOBDECK_TOKENS_FILE`, else `$XDG_CONFIG_HOME/jobdeck/tokens.json`, else `~/.config/jobdeck/tokens.json`. */
export function tokensFilePath(env: NodeJS.ProcessEnv = process.env): string {
  return env.JOBDECK_TOKENS_FILE ? resolve(env.JOBDECK_TOKENS_FILE) : userConfigFile('tokens.json', env);
}

/**
 * The API tokens in one JSON file (mode 0600), shared by the `npm run tokens` CLI and every
 * console: a console re-reads it whenever its modification time or size changed, so a token
 * revoked from the CLI stops working at the next request without a restart. A change reads the
 * file again under an exclusive lock file (`<file>.lock`), so a CLI and a console changing it at
 * once lose neither change; it writes a temporary file of a random name, created exclusively
 * (mode 0600), renamed over the old one, so a reader never sees half a file. A file or directory
 * that others may write is refused: whoever can write it can make tokens.
 */
export class TokenStore {
  private cached: { stamp: string; tokens: StoredToken[] } | null = null;

  constructor(readonly path: string) {}

  /** The tokens, oldest first, without their hashes. */
  list(): TokenSummary[] {
    return this.read().map(({ name, role, created_at }) => ({ name, role, created_at }));
  }

  /** Stores a new token under `name`; answers its text, which is never stored. Null when the name is taken. */
  create(name: string, role: TokenRole, now = new Date()): { token: string; summary: TokenSummary } | null {
    return this.change((tokens) => {
      if (tokens.some((t) => t.name === name)) return null;
      const token = newToken();
      const summary = { name, role, created_at: now.toISOString() };
      return { tokens: [...tokens, { ...summary, hash: tokenHash(token) }], answer: { token, summary } };
    });
  }

  /** Removes the token `name`; false when there is none. */
  revoke(name: string): boolean {
    const revoked = this.change((tokens) => {
      const kept = tokens.filter((t) => t.name !== name);
      return kept.length === tokens.length ? null : { tokens: kept, answer: true };
    });
    return revoked ?? false;
  }

  /** The actor a token stands for, or null. Every stored hash is compared, in constant time each. */
  identify(token: string): Actor | null {
    let found: Actor | null = null;
    for (const stored of this.read()) {
      if (tokenMatches(token, stored.hash) && found === null) found = { name: stored.name, role: stored.role };
    }
    return found;
  }

  /** Reads the file afresh and writes what `edit` makes of it, under the lock; null when `edit` changes nothing. */
  private change<T>(edit: (tokens: StoredToken[]) => { tokens: StoredToken[]; answer: T } | null): T | null {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    this.checkWritableByOwnerOnly(dirname(this.path), 'directory');
    try {
      return withFileLock(`${this.path}.lock`, () => {
        this.cached = null;
        const edited = edit(this.read());
        if (edited === null) return null;
        this.write(edited.tokens);
        return edited.answer;
      });
    } catch (error) {
      throw error instanceof FileLockError ? new TokensFileError(error.message) : error;
    }
  }

  private read(): StoredToken[] {
    const stamp = this.stamp();
    if (stamp === null) return [];
    if (this.cached?.stamp !== stamp) this.cached = { stamp, tokens: this.parse() };
    return this.cached.tokens;
  }

  /** Modification time, size and inode: a rename over the file changes the inode even within one mtime tick. */
  private stamp(): string | null {
    try {
      const stat = statSync(this.path);
      const stamp = `${stat.mtimeMs}:${stat.size}:${stat.ino}:${stat.mode}`;
      if (this.cached?.stamp !== stamp) {
        this.checkWritableByOwnerOnly(this.path, 'file');
        this.checkWritableByOwnerOnly(dirname(this.path), 'directory');
      }
      return stamp;
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return null;
      if (error instanceof TokensFileError) throw error;
      throw new TokensFileError(`cannot read the tokens file ${this.path} (${(error as Error).message}); check JOBDECK_TOKENS_FILE`);
    }
  }

  private parse(): StoredToken[] {
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(this.path, 'utf8'));
    } catch (error) {
      throw new TokensFileError(`cannot read the tokens file ${this.path} (${(error as Error).message}); check JOBDECK_TOKENS_FILE`);
    }
    const parsed = tokensFileSchema.safeParse(value);
    if (!parsed.success) throw new TokensFileError(`the tokens file ${this.path} is not a Jobdeck tokens file; check JOBDECK_TOKENS_FILE`);
    return parsed.data.tokens;
  }

  /** Refuses `path` when group or others may write it (or, for the directory, plant a file in it). */
  private checkWritableByOwnerOnly(path: string, what: 'file' | 'directory'): void {
    const mode = statSync(path).mode;
    if ((mode & 0o022) === 0) return;
    throw new TokensFileError(
      `the tokens ${what} ${path} is writable by others (mode ${(mode & 0o777).toString(8)}): whoever can write it can make tokens; run chmod go-w ${path} (or set JOBDECK_TOKENS_FILE to a private place)`,
    );
  }

  private write(tokens: StoredToken[]): void {
    writePrivateFile(this.path, `${JSON.stringify({ version: 1, tokens }, null, 2)}\n`);
    this.cached = null;
  }
}
