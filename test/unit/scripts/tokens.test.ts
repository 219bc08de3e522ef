import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TokenStore } from '../../../src-main/access/token-store';

const dir = mkdtempSync(join(tmpdir(), 'jobdeck-tokens-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `npm run tokens -- <args>` as a user runs it, on a tokens file of its own. */
function tokens(file: string, ...args: string[]) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/tokens.ts', ...args], {
    // No PostgreSQL here: the audit row is tested in test/integration/tokens-cli-audit.test.ts.
    env: { ...process.env, JOBDECK_TOKENS_FILE: file, DATABASE_URL: 'postgres://127.0.0.1:1/jobdeck' },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

describe('npm run tokens', () => {
  const file = join(dir, 'config', 'tokens.json');

  it('creates a token, printed once, and stores only its hash in a file of mode 0600', () => {
    const run = tokens(file, 'create', 'ci', '--role', 'read');
    expect(run.code).toBe(0);
    const token = /jdk_[A-Za-z0-9_-]+/.exec(run.out)![0];
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(token);
    expect(new TokenStore(file).identify(token)).toEqual({ name: 'ci', role: 'read' });
  });

  it('lists the tokens without their text or hash', () => {
    tokens(file, 'create', 'ops', '--role=write');
    const run = tokens(file, 'list');
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^ci\tread\t\S+\nops\twrite\t\S+\n$/);
  });

  it('revokes a token by name', () => {
    expect(tokens(file, 'revoke', 'ci').code).toBe(0);
    expect(tokens(file, 'list').out).not.toMatch(/^ci\t/m);
    const again = tokens(file, 'revoke', 'ci');
    expect([again.code, again.err]).toEqual([1, expect.stringContaining('no token named "ci"')]);
  });

  it('says what is wrong with a bad name, role, duplicate or command', () => {
    const refusals: [string[], RegExp][] = [
      [['create', 'Bad!', '--role', 'read'], /"Bad!" is not a token name: must be 1–40 characters/],
      [['create', 'window', '--role', 'write'], /must not be "window" or "local"/],
      [['create', 'x', '--role', 'admin'], /--role "admin" is not a role: must be read or write/],
      [['create', 'x'], /create needs --role read or --role write/],
      [['create', 'ops', '--role', 'read'], /a token named "ops" exists already/],
      [['rotate'], /unknown command "rotate"; usage: npm run tokens -- create <name> --role read\|write/],
    ];
    for (const [args, message] of refusals) {
      const run = tokens(file, ...args);
      expect(run.code, args.join(' ')).toBe(1);
      expect(run.err).toMatch(message);
      expect(run.err).not.toMatch(/\n\s+at /);
    }
  }, 30_000);
});
