import type { SecretStorage } from '../../src-shared/profile-schemas';

/**
 * Where a profile's passwords are kept: `seal` makes the text the profiles file stores, `open`
 * takes it back. The headless console keeps them in the file as they are ({@link fileSecretBox});
 * the window encrypts them with Electron's `safeStorage` ({@link safeStorageSecretBox}).
 */
export interface SecretBox {
  seal(secret: string): string;
  open(sealed: string): string;
  describe(): SecretStorage;
}

const PLAIN = 'plain:';
const SAFE_STORAGE = 'safe-storage:';

/** Headless: the password stands in the profiles file (mode 0600, readable by the user only), not encrypted. */
export function fileSecretBox(): SecretBox {
  return {
    seal: (secret) => `${PLAIN}${secret}`,
    open: (sealed) => openPlain(sealed),
    describe: () => ({
      encrypted: false,
      backend: 'file',
      note: 'Passwords are stored in the profiles file, not encrypted; the file is readable by your user only (mode 0600).',
    }),
  };
}

function openPlain(sealed: string): string {
  if (!sealed.startsWith(PLAIN)) throw new Error('this password was encrypted by the desktop window (safeStorage); open the profile there, or enter the password again');
  return sealed.slice(PLAIN.length);
}

/** The part of Electron's `safeStorage` the box uses (the main process passes the real one). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only. */
  getSelectedStorageBackend?(): string;
}

/**
 * The window: each password encrypted by the OS keychain through `safeStorage`. On Linux
 * without a keyring `safeStorage` falls back to its `basic_text` backend (a fixed key): the
 * box still uses it and {@link SecretBox.describe} says so; without encryption at all it keeps
 * passwords as the headless console does.
 */
export function safeStorageSecretBox(storage: SafeStorageLike, platform: NodeJS.Platform = process.platform): SecretBox {
  if (!storage.isEncryptionAvailable()) {
    const plain = fileSecretBox();
    return { ...plain, describe: () => ({ ...plain.describe(), note: `Electron's safeStorage cannot encrypt here; ${plain.describe().note}` }) };
  }
  const backend = platform === 'linux' ? (storage.getSelectedStorageBackend?.() ?? 'unknown') : platform;
  return {
    seal: (secret) => `${SAFE_STORAGE}${storage.encryptString(secret).toString('base64')}`,
    open: (sealed) => (sealed.startsWith(SAFE_STORAGE) ? storage.decryptString(Buffer.from(sealed.slice(SAFE_STORAGE.length), 'base64')) : openPlain(sealed)),
    describe: () => ({
      encrypted: backend !== 'basic_text',
      backend: `safeStorage:${backend}`,
      note:
        backend === 'basic_text'
          ? "No keyring was found: Electron's safeStorage fell back to its basic text backend, which encrypts with a fixed key — anyone who can read the profiles file can recover the passwords. Install and unlock a keyring (GNOME Keyring, KWallet) to protect them."
          : null,
    }),
  };
}
