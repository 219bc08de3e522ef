import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { MASKED_PASSWORD, PROFILE_URL_FIELDS, profileSchema, type ConnectionProfile, type ProfileUrlField } from '../../src-shared/profile-schemas';
import { FileLockError, withFileLock } from '../access/file-lock';
import { userConfigFile, writePrivateFile } from '../access/user-config';
import type { SecretBox } from './secret-box';
import { splitPassword, withPassword } from './url-password';

/** `JOBDECK_PROFILES_FILE`, else `$XDG_CONFIG_HOME/jobdeck/profiles.json`, else `~/.config/jobdeck/profiles.json`. */
export function profilesFilePath(env: NodeJS.ProcessEnv = process.env): string {
  return env.JOBDECK_PROFILES_FILE ? resolve(env.JOBDECK_PROFILES_FILE) : userConfigFile('profiles.json', env);
}

/** A profile as stored: its URLs without passwords, each password sealed by the secret box beside them. */
const storedProfileSchema = profileSchema.extend({
  secrets: z.partialRecord(z.enum(PROFILE_URL_FIELDS), z.string()),
});
type StoredProfile = z.output<typeof storedProfileSchema>;
const profilesFileSchema = z.object({ version: z.literal(1), profiles: z.array(storedProfileSchema) });

/** A profiles file that cannot be read or written; the message names the file. */
export class ProfilesFileError extends Error {
  override name = 'ProfilesFileError';
}

/**
 * The saved profiles in one JSON file of the user's config directory (mode 0600, its directory
 * 0700), passwords as the {@link SecretBox} seals them. Read afresh on every call (it is small);
 * a change runs under the file's lock (`<file>.lock`) and replaces the file whole.
 */
export class ProfileFile {
  constructor(
    readonly path: string,
    private readonly box: SecretBox,
  ) {}

  /** The saved profiles, passwords in their URLs; one this box cannot open shows as the mask. */
  list(): ConnectionProfile[] {
    return this.read().map((stored) => this.opened(stored));
  }

  /**
   * Writes what `edit` makes of the profiles (passwords in their URLs), under the lock; answers its
   * answer. A password this box cannot open that comes back as the mask, on the same URL, keeps
   * its sealed form: a headless write does not erase what the window sealed.
   */
  change<T>(edit: (profiles: ConnectionProfile[]) => { profiles: ConnectionProfile[]; answer: T }): T {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    try {
      return withFileLock(`${this.path}.lock`, () => {
        const before = this.read();
        const unopened = this.unopenedSecrets(before);
        const edited = edit(before.map((stored) => this.opened(stored)));
        const stored = edited.profiles.map((profile) => this.sealed(profile, unopened));
        writePrivateFile(this.path, `${JSON.stringify({ version: 1, profiles: stored }, null, 2)}\n`);
        return edited.answer;
      });
    } catch (error) {
      throw error instanceof FileLockError ? new ProfilesFileError(error.message) : error;
    }
  }

  private read(): StoredProfile[] {
    let text: string;
    try {
      this.checkPrivate();
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return [];
      if (error instanceof ProfilesFileError) throw error;
      throw new ProfilesFileError(`cannot read the profiles file ${this.path} (${(error as Error).message}); check JOBDECK_PROFILES_FILE`);
    }
    const parsed = profilesFileSchema.safeParse(parseJson(text));
    if (!parsed.success) throw new ProfilesFileError(`the profiles file ${this.path} is not a Jobdeck profiles file; check JOBDECK_PROFILES_FILE`);
    return parsed.data.profiles;
  }

  /** Refuses a file others may read or write: it holds passwords. */
  private checkPrivate(): void {
    const mode = statSync(this.path).mode & 0o777;
    if ((mode & 0o077) === 0) return;
    throw new ProfilesFileError(
      `the profiles file ${this.path} is readable or writable by others (mode ${mode.toString(8)}): it holds passwords; run chmod 600 ${this.path}`,
    );
  }

  private sealed(profile: ConnectionProfile, unopened: Map<string, string>): StoredProfile {
    const stored: StoredProfile = { ...profile, secrets: {} };
    for (const field of PROFILE_URL_FIELDS) {
      const url = profile[field];
      if (url === null) continue;
      const { url: bare, password } = splitPassword(url);
      stored[field] = bare;
      if (password === null) continue;
      const kept = password === MASKED_PASSWORD ? unopened.get(secretKey(field, bare)) : undefined;
      stored.secrets[field] = kept ?? this.box.seal(password);
    }
    return stored;
  }

  /** The sealed passwords this box cannot open, by field and URL without password. */
  private unopenedSecrets(profiles: StoredProfile[]): Map<string, string> {
    const unopened = new Map<string, string>();
    for (const profile of profiles) {
      for (const [field, sealed] of Object.entries(profile.secrets) as [ProfileUrlField, string][]) {
        const url = profile[field];
        if (url !== null && sealed && this.openOrNull(sealed) === null) unopened.set(secretKey(field, url), sealed);
      }
    }
    return unopened;
  }

  private opened({ secrets, ...profile }: StoredProfile): ConnectionProfile {
    const opened: ConnectionProfile = { ...profile };
    for (const [field, sealed] of Object.entries(secrets) as [ProfileUrlField, string][]) {
      const url = profile[field];
      if (url !== null && sealed) opened[field] = withPassword(url, this.openOrNull(sealed) ?? MASKED_PASSWORD);
    }
    return opened;
  }

  /** Null for a password this box cannot open (sealed by the window's safeStorage, read headless): it shows as unavailable here. */
  private openOrNull(sealed: string): string | null {
    try {
      return this.box.open(sealed);
    } catch {
      return null;
    }
  }
}

const secretKey = (field: ProfileUrlField, bareUrl: string): string => `${field} ${bareUrl}`;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
