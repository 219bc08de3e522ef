import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TokenStore, TokensFileError, tokensFilePath } from '../../../src-main/access/token-store';

const dirs: string[] = [];
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'jobdeck-tokens-'));
  dirs.push(dir);
  return join(dir, 'sub', 'tokens.json');
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('token store', () => {
  it('keeps name, role, created_at and the SHA-256 only, in a file of mode 0600', () => {
    const path = tempFile();
    const store = new TokenStore(path);
    const created = store.create('ci', 'read', new Date('2026-01-02T03:04:05.000Z'))!;
    expect(created.summary).toEqual({ name: 'ci', role: 'read', created_at: '2026-01-02T03:04:05.000Z' });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain(created.token);
    expect(Object.keys(JSON.parse(text).tokens[0]).sort()).toEqual(['created_at', 'hash', 'name', 'role']);
    expect(store.list()).toEqual([created.summary]);
  });

  it('identifies a token by its hash, refuses others, and refuses a second token of one name', () => {
    const store = new TokenStore(tempFile());
    const writer = store.create('ops', 'write')!;
    const reader = store.create('viewer', 'read')!;
    expect(store.identify(writer.token)).toEqual({ name: 'ops', role: 'write' });
    expect(store.identify(reader.token)).toEqual({ name: 'viewer', role: 'read' });
    expect(store.identify(`${reader.token}x`)).toBeNull();
    expect(store.create('ops', 'read')).toBeNull();
  });

  it('sees a revocation made through another store on the same file (the CLI) at the next check', () => {
    const path = tempFile();
    const console = new TokenStore(path);
    const cli = new TokenStore(path);
    const { token } = cli.create('laptop', 'write')!;
    expect(console.identify(token)).toEqual({ name: 'laptop', role: 'write' });
    expect(cli.revoke('laptop')).toBe(true);
    expect(console.identify(token)).toBeNull();
    expect(cli.revoke('laptop')).toBe(false);
  });

  it('has no tokens while the file is missing, and names the file when it is not a tokens file', () => {
    const path = tempFile();
    expect(new TokenStore(path).list()).toEqual([]);
    new TokenStore(path).create('a', 'read');
    writeFileSync(path, '{"not": "tokens"}');
    expect(() => new TokenStore(path).list()).toThrow(TokensFileError);
    expect(() => new TokenStore(path).list()).toThrow(path);
  });

  it('loses no change when two processes create and revoke tokens at once', async () => {
    const path = tempFile();
    const churns = ['a', 'b'].map((prefix) => spawn(process.execPath, ['--import', 'tsx', 'test/support/token-churn.ts', path, prefix, '60'], { stdio: ['pipe', 'pipe', 'pipe'] }));
    const exits = churns.map((child) => {
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += chunk));
      return new Promise<string>((resolve) => child.once('exit', (code) => resolve(`exit ${code} ${stderr}`)));
    });
    await Promise.all(churns.map((child) => new Promise((resolve) => child.stdout.once('data', resolve))));
    for (const child of churns) child.stdin.end('go\n');
    expect(await Promise.all(exits)).toEqual(['exit 0 ', 'exit 0 ']);
    const expected = ['a', 'b'].flatMap((prefix) => Array.from({ length: 30 }, (_, i) => `${prefix}-${i * 2}`));
    expect(new TokenStore(path).list().map((t) => t.name).sort()).toEqual(expected.sort());
    expect(readdirSync(join(path, '..'))).toEqual(['tokens.json']);
  }, 60_000);

  it('takes over a lock file left by a process that died holding it', () => {
    const path = tempFile();
    const store = new TokenStore(path);
    store.create('first', 'read');
    writeFileSync(`${path}.lock`, 'gone 1\n');
    const old = new Date(Date.now() - 60_000);
    utimesSync(`${path}.lock`, old, old);
    expect(store.create('second', 'read')).not.toBeNull();
    expect(store.list().map((t) => t.name)).toEqual(['first', 'second']);
  });

  it('writes through no file or link planted beside the tokens file', () => {
    const path = tempFile();
    const store = new TokenStore(path);
    store.create('first', 'read');
    const victim = join(path, '..', 'victim');
    writeFileSync(victim, 'untouched');
    symlinkSync(victim, `${path}.${process.pid}.tmp`);
    store.create('second', 'read');
    expect(readFileSync(victim, 'utf8')).toBe('untouched');
    expect(store.list()).toHaveLength(2);
  });

  it('refuses a tokens file or a directory that group or others may write, naming the fix', () => {
    const path = tempFile();
    new TokenStore(path).create('first', 'read');
    chmodSync(path, 0o620);
    expect(() => new TokenStore(path).list()).toThrow(/tokens file .* is writable by others \(mode 620\).*chmod go-w/);
    chmodSync(path, 0o600);
    chmodSync(join(path, '..'), 0o777);
    expect(() => new TokenStore(path).list()).toThrow(TokensFileError);
    expect(() => new TokenStore(path).create('second', 'read')).toThrow(/tokens directory .* is writable by others/);
    chmodSync(join(path, '..'), 0o700);
    const shared = join(path, '..', 'shared');
    mkdirSync(shared, { mode: 0o700 });
    chmodSync(shared, 0o1777);
    expect(() => new TokenStore(join(shared, 'tokens.json')).create('x', 'read')).toThrow(/writable by others \(mode 777\)/);
  });

  it('lives in JOBDECK_TOKENS_FILE, else the XDG config directory, else ~/.config', () => {
    expect(tokensFilePath({ JOBDECK_TOKENS_FILE: '/tmp/t.json', XDG_CONFIG_HOME: '/x' })).toBe('/tmp/t.json');
    expect(tokensFilePath({ XDG_CONFIG_HOME: '/x' })).toBe('/x/jobdeck/tokens.json');
    expect(tokensFilePath({})).toMatch(/\/\.config\/jobdeck\/tokens\.json$/);
  });
});
