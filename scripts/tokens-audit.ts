/**
 * The audit row of a change `npm run tokens` made, written to `<JOBDECK_NAMESPACE>.audit` on
 * DATABASE_URL like a console's rows (actor `cli:<OS user>`, role write: whoever can write the
 * tokens file can do anything). Best effort: the change is made in the file whatever PostgreSQL
 * says, so a trail that cannot be reached costs one warning line, never the change.
 */
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import pg from 'pg';
import { AuditStore } from '../src-main/audit/audit-store';
import { outcomeOf } from '../src-shared/audit-schemas';
import { databaseConnection } from '../src-shared/node/database-url';
import { redactText } from '../src-shared/redact';
import { readEnv, sharedEnvShape } from '../src-shared/settings';
import { namesFor } from '../src-shared/topology';

const CONNECT_TIMEOUT_MS = 3_000;
const QUERY_TIMEOUT_MS = 5_000;

/** What the CLI changed, named as the API's own rows name it (`POST /api/v1/tokens` is `tokens.create`). */
export interface TokensCliChange {
  verb: 'tokens.create' | 'tokens.delete';
  /** The token's name. */
  target: string;
  params: Record<string, string> | null;
  /** The status the API answers the same change with (201, 204). */
  status: number;
  /** The command, as the row's route: `CLI tokens revoke`. */
  command: string;
}

/** The OS user running the CLI; `unknown` where the system has no entry for it. */
function osUser(env: NodeJS.ProcessEnv): string {
  try {
    return userInfo().username;
  } catch {
    return env.USER || env.USERNAME || 'unknown';
  }
}

/** Writes the row of `change`; a failure is `warn`ed in one line and swallowed. */
export async function auditTokensChange(change: TokensCliChange, env: NodeJS.ProcessEnv, warn: (line: string) => void = console.warn): Promise<void> {
  let pool: pg.Pool | null = null;
  try {
    const settings = readEnv({ DATABASE_URL: sharedEnvShape.DATABASE_URL, JOBDECK_NAMESPACE: sharedEnvShape.JOBDECK_NAMESPACE }, env);
    const connection = databaseConnection(settings.DATABASE_URL, env.PGUSER || osUser(env));
    pool = new pg.Pool({ ...connection, max: 1, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, query_timeout: QUERY_TIMEOUT_MS, application_name: 'jobdeck:tokens' });
    pool.on('error', () => undefined);
    await new AuditStore(pool, namesFor(settings.JOBDECK_NAMESPACE).schema).insert([
      {
        id: randomUUID(),
        at: new Date().toISOString(),
        actor: `cli:${osUser(env)}`,
        role: 'write',
        verb: change.verb,
        target: change.target,
        route: change.command,
        params: change.params,
        result: { status: change.status, outcome: outcomeOf(change.status), title: null, detail: null },
      },
    ]);
  } catch (error) {
    warn(`[tokens] warning: the change is made, but the audit trail did not get its row (${redactText((error as Error).message)})`);
  } finally {
    await pool?.end().catch(() => undefined);
  }
}
