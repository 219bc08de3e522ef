import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { tokenRoleSchema, type TokenRole, type TokenSummary } from '../../src-shared/token-schemas';
import type { Actor } from './actor';
import { newToken, tokenHash, tokenMatches } from './token-secret';

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
  if (env.JOBDECK_TOKENS_FILE) return resolve(env.JOBDECK_TOKENS_FILE);
  const configHome = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(configHome, 'jobdeck', 'tokens.json');
}

/**
 * The API tokens in one JSON file (mode 0600), shared by the `npm run tokens` CLI and every
 * console: a console re-reads it whenever its modification time or size changed, so a token
 * revoked from the CLI stops working at the next request without a restart. Writes go to a
 * temporary file renamed over the old one, so a reader never sees half a file.
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
    const tokens = this.read();
    if (tokens.some((t) => t.name === name)) return null;
    const token = newToken();
    const summary = { name, role, created_at: now.toISOString() };
    this.write([...tokens, { ...summary, hash: tokenHash(token) }]);
    return { token, summary };
  }

  /** Removes the token `name`; false when there is none. */
  revoke(name: string): boolean {
    const tokens = this.read();
    const kept = tokens.filter((t) => t.name !== name);
    if (kept.length === tokens.length) return false;
    this.write(kept);
    return true;
  }

  /** The actor a token stands for, or null. Every stored hash is compared, in constant time each. */
  identify(token: string): Actor | null {
    let found: Actor | null = null;
    for (const stored of this.read()) {
      if (tokenMatches(token, stored.hash) && found === null) found = { name: stored.name, role: stored.role };
    }
    return found;
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
      return `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return null;
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

  private write(tokens: StoredToken[]): void {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify({ version: 1, tokens }, null, 2)}\n`, { mode: 0o600 });
    chmodSync(temporary, 0o600);
    renameSync(temporary, this.path);
    this.cached = null;
  }
}
