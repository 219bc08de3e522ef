import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, workerCountsOf } from '../../../src-main/config';
import { ProfileFile, profilesFilePath } from '../../../src-main/profiles/profile-file';
import { fileSecretBox, safeStorageSecretBox, type SafeStorageLike } from '../../../src-main/profiles/secret-box';
import { openWithPassphrase, sealWithPassphrase, WrongPassphraseError } from '../../../src-main/profiles/passphrase-seal';
import type { ConnectionProfile } from '../../../src-shared/profile-schemas';

const dir = mkdtempSync(join(tmpdir(), 'jobdeck-profiles-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PASSWORD = 'hunter2-very-secret';

function profile(id: string): ConnectionProfile {
  return {
    id,
    name: 'Prod',
    environment: 'production',
    color: '#dc2626',
    amqp_url: `amqp://ops:${PASSWORD}@rabbit.example:5671`,
    redis_url: `rediss://:${PASSWORD}@redis.example:6380/2`,
    database_url: `postgres://ops:${PASSWORD}@db.example:5432/jobs`,
    smtp_url: null,
    namespace: 'prod',
    workers: { log: 4 },
    read_only: false,
  };
}

/** An encrypting stand-in for Electron's safeStorage: XOR with a key, as bytes no reader takes for text. */
function fakeSafeStorage(backend: string): SafeStorageLike {
  const xor = (bytes: Buffer): Buffer => Buffer.from(bytes.map((b) => b ^ 0x5a));
  return {
    isEncryptionAvailable: () => true,
    encryptString: (text) => xor(Buffer.from(text, 'utf8')),
    decryptString: (bytes) => xor(bytes).toString('utf8'),
    getSelectedStorageBackend: () => backend,
  };
}

describe('where profiles keep their passwords', () => {
  it('the window (safeStorage): the profiles file holds no password in clear, and gives each back', () => {
    const file = new ProfileFile(join(dir, 'window', 'profiles.json'), safeStorageSecretBox(fakeSafeStorage('gnome_libsecret'), 'linux'));
    file.change((profiles) => ({ profiles: [...profiles, profile('prod')], answer: null }));
    const text = readFileSync(file.path, 'utf8');
    expect(text).not.toContain(PASSWORD);
    expect(text).toContain('safe-storage:');
    expect(file.list()).toEqual([profile('prod')]);
    // Read headless, the window's passwords are unavailable (masked), the rest of the profile stays.
    const headless = new ProfileFile(file.path, fileSecretBox()).list()[0]!;
    expect(headless.amqp_url).toBe('amqp://ops:***@rabbit.example:5671');
    expect(headless.name).toBe('Prod');
  });

  it('a headless write keeps the passwords the window sealed, on the profiles it rewrites', () => {
    const window = new ProfileFile(join(dir, 'both', 'profiles.json'), safeStorageSecretBox(fakeSafeStorage('gnome_libsecret'), 'linux'));
    window.change(() => ({ profiles: [profile('prod')], answer: null }));
    const headless = new ProfileFile(window.path, fileSecretBox());
    headless.change((profiles) => ({ profiles: [...profiles.map((p) => ({ ...p, name: 'Prod EU' })), { ...profile('dev'), amqp_url: 'amqp://dev:devpw@localhost:5672' }], answer: null }));
    expect(window.list()).toEqual([{ ...profile('prod'), name: 'Prod EU' }, { ...profile('dev'), amqp_url: 'amqp://dev:devpw@localhost:5672' }]);
  });

  it('headless: the passwords stand in a file of mode 0600 in a directory of mode 0700', () => {
    const file = new ProfileFile(join(dir, 'headless', 'profiles.json'), fileSecretBox());
    file.change(() => ({ profiles: [profile('prod')], answer: null }));
    expect(statSync(file.path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'headless')).mode & 0o777).toBe(0o700);
    expect(readFileSync(file.path, 'utf8')).toContain(`plain:${PASSWORD}`);
    expect(fileSecretBox().describe()).toMatchObject({ encrypted: false, backend: 'file' });
  });

  it("says when Linux's safeStorage falls back to its basic text backend", () => {
    expect(safeStorageSecretBox(fakeSafeStorage('basic_text'), 'linux').describe()).toMatchObject({ encrypted: false, backend: 'safeStorage:basic_text', note: expect.stringContaining('basic text') });
    expect(safeStorageSecretBox(fakeSafeStorage('kwallet5'), 'linux').describe()).toMatchObject({ encrypted: true, note: null });
  });

  it('lives in the user config directory unless JOBDECK_PROFILES_FILE says otherwise', () => {
    expect(profilesFilePath({ XDG_CONFIG_HOME: '/x/conf' })).toBe('/x/conf/jobdeck/profiles.json');
    expect(profilesFilePath({ JOBDECK_PROFILES_FILE: '/tmp/p.json', XDG_CONFIG_HOME: '/x' })).toBe('/tmp/p.json');
  });

  it('seals an export with a passphrase (scrypt, AES-256-GCM); a wrong passphrase is refused', async () => {
    const sealed = await sealWithPassphrase(PASSWORD, 'correct horse');
    expect(JSON.stringify(sealed)).not.toContain(PASSWORD);
    expect(await openWithPassphrase(sealed, 'correct horse')).toBe(PASSWORD);
    await expect(openWithPassphrase(sealed, 'wrong horse')).rejects.toThrow(WrongPassphraseError);
  });
});

describe('worker counts of a profile', () => {
  it('JOBDECK_WORKERS wins over the profile, which wins over the kinds file', () => {
    const config = loadConfig({ JOBDECK_WORKERS: 'A=3' });
    expect(config.workersFromEnv).toEqual({ log: 3 });
    expect(workerCountsOf(config.kinds, { log: 5, callback: 0 }, config.workersFromEnv)).toEqual({ log: 3, callback: 0, email: 1 });
  });
});
