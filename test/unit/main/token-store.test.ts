import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

  it('lives in JOBDECK_TOKENS_FILE, else the XDG config directory, else ~/.config', () => {
    expect(tokensFilePath({ JOBDECK_TOKENS_FILE: '/tmp/t.json', XDG_CONFIG_HOME: '/x' })).toBe('/tmp/t.json');
    expect(tokensFilePath({ XDG_CONFIG_HOME: '/x' })).toBe('/x/jobdeck/tokens.json');
    expect(tokensFilePath({})).toMatch(/\/\.config\/jobdeck\/tokens\.json$/);
  });
});
