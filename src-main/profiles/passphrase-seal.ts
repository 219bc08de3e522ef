import { createCipheriv, createDecipheriv, randomBytes, scrypt, type ScryptOptions } from 'node:crypto';
import type { SealedSecrets } from '../../src-shared/profile-schemas';

const SCRYPT: ScryptOptions = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEY_BYTES = 32;

/** The passphrase cannot open the sealed text: a wrong passphrase, or a file changed after it was sealed. */
export class WrongPassphraseError extends Error {
  override name = 'WrongPassphraseError';
}

function keyOf(passphrase: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(passphrase.normalize('NFC'), salt, KEY_BYTES, SCRYPT, (error, key) => (error ? reject(error) : resolve(key))));
}

/** Encrypts `text` with a key scrypt derives from `passphrase` (AES-256-GCM: the tag refuses any change). */
export async function sealWithPassphrase(text: string, passphrase: string): Promise<SealedSecrets> {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', await keyOf(passphrase, salt), iv);
  const data = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  const b64 = (bytes: Buffer): string => bytes.toString('base64');
  return { kdf: 'scrypt', cipher: 'aes-256-gcm', salt: b64(salt), iv: b64(iv), tag: b64(cipher.getAuthTag()), data: b64(data) };
}

export async function openWithPassphrase(sealed: SealedSecrets, passphrase: string): Promise<string> {
  const bytes = (b64: string): Buffer => Buffer.from(b64, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', await keyOf(passphrase, bytes(sealed.salt)), bytes(sealed.iv));
  try {
    decipher.setAuthTag(bytes(sealed.tag));
    return Buffer.concat([decipher.update(bytes(sealed.data)), decipher.final()]).toString('utf8');
  } catch {
    throw new WrongPassphraseError('the passphrase does not open the secrets of this export (wrong passphrase, or the file was changed)');
  }
}
