import { randomBytes } from 'node:crypto';
import { ValidationError, type Problem } from '../../src-shared/problem';
import {
  ENVIRONMENT_PROFILE_ID,
  MASKED_PASSWORD,
  PROFILE_URL_FIELDS,
  type ConnectionProfile,
  type CreateProfileRequest,
  type ExportProfilesRequest,
  type ImportProfilesRequest,
  type PatchProfileRequest,
  type ProfileExport,
  type ProfileList,
  type ProfileModeReport,
  type ProfileTest,
} from '../../src-shared/profile-schemas';
import { redactUrl } from '../../src-shared/redact';
import type { JobKind } from '../../src-shared/kinds';
import { problem } from '../api/problems';
import { workerCountsOf, type ConsoleConfig } from '../config';
import { NoCoreError, reason } from '../core/startup-error';
import { testProfile } from './connection-test';
import { openWithPassphrase, sealWithPassphrase } from './passphrase-seal';
import type { ProfileFile } from './profile-file';
import type { ProfileMode, ProfileModeSource } from './profile-mode';
import type { SecretBox } from './secret-box';
import { isMaskedPassword, sameEndpoint, splitPassword, withPassword } from './url-password';

/** A verb refused with its problem (404 unknown profile, 409 the environment's or the active one, 502 an activation that failed). */
export class ProfileRefusal extends Error {
  override name = 'ProfileRefusal';
  constructor(readonly problem: Problem) {
    super(problem.detail);
  }
}

export interface ProfileServiceOptions {
  file: ProfileFile;
  box: SecretBox;
  /** The settings the console started with: the `environment` profile's, and every other setting of each profile. */
  base: ConsoleConfig;
  /** Restarts the core in place on other settings (see CoreSlot.restart). */
  restart: (config: ConsoleConfig) => Promise<void>;
  log: (line: string) => void;
}

/**
 * The connection profiles: the unsaved `environment` profile (the environment variables, active
 * at start) and those saved in the profiles file; which is active; which production profiles are
 * unlocked for this run. It is the source of the active profile's mode the guardrails read.
 */
export class ProfileService implements ProfileModeSource {
  private active: ConnectionProfile;
  private readonly unlocked = new Set<string>();

  constructor(private readonly options: ProfileServiceOptions) {
    this.active = this.environmentProfile();
  }

  list(): ProfileList {
    return {
      items: [this.environmentProfile(), ...this.options.file.list()].map(masked),
      active: this.modeReport(),
      secrets: this.options.box.describe(),
      file: this.options.file.path,
    };
  }

  get(id: string): ConnectionProfile {
    return masked(this.find(id));
  }

  create(request: CreateProfileRequest): ConnectionProfile {
    const profile: ConnectionProfile = { ...request, id: newId(request.name), workers: this.kindNames(request.workers) };
    return masked(this.options.file.change((profiles) => ({ profiles: [...profiles, profile], answer: profile })));
  }

  /** Changes a saved profile; the active one's `read_only` holds at once, its connections at its next activation. */
  update(id: string, patch: PatchProfileRequest): ConnectionProfile {
    this.refuseEnvironment(id, 'changed');
    const workers = patch.workers === undefined ? {} : { workers: this.kindNames(patch.workers) };
    const updated = this.options.file.change((profiles) => {
      const current = profiles.find((p) => p.id === id) ?? this.unknown(id);
      const next: ConnectionProfile = { ...current, ...patch, ...workers, ...keptPasswords(current, patch) };
      return { profiles: profiles.map((p) => (p.id === id ? next : p)), answer: next };
    });
    if (this.active.id === id) this.active = updated;
    return masked(updated);
  }

  remove(id: string): void {
    this.refuseEnvironment(id, 'deleted');
    if (this.active.id === id) throw new ProfileRefusal(problem(409, `the profile "${this.active.name}" is active; activate another one before deleting it`, 'profile-active'));
    this.options.file.change((profiles) => {
      if (!profiles.some((p) => p.id === id)) this.unknown(id);
      return { profiles: profiles.filter((p) => p.id !== id), answer: null };
    });
  }

  /** A saved copy (passwords included) named "<name> (copy)"; the environment's copy is how it is saved. */
  duplicate(id: string): ConnectionProfile {
    const original = this.find(id);
    return this.create({ ...original, name: `${original.name} (copy)`.slice(0, 60) });
  }

  test(id: string): Promise<ProfileTest> {
    return testProfile(this.find(id));
  }

  /**
   * Restarts the core in place on the profile: the old workers finish their jobs or hand them
   * back (as on a stop), then the new connections open. A profile that fails leaves the previous one active.
   */
  async activate(id: string): Promise<ProfileModeReport> {
    const next = this.find(id);
    const from = this.active;
    this.active = next; // the core opening on it reads its mode (read-only: no work)
    try {
      await this.options.restart(this.configOf(next));
    } catch (error) {
      this.active = from;
      const now = error instanceof NoCoreError ? `"${from.name}" stays selected but serves nothing; activate a profile` : `"${from.name}" stays active`;
      throw new ProfileRefusal(problem(502, `activating "${next.name}" failed (${reason(error)}); ${now}`, 'profile-activation-failed'));
    }
    this.options.log(`connection profile "${next.name}" active (was "${from.name}"), namespace ${next.namespace}, RabbitMQ ${redactUrl(next.amqp_url)}`);
    return this.modeReport();
  }

  /** Lets a production profile change things for the rest of this run of the console. */
  async unlock(id: string): Promise<ProfileModeReport> {
    const profile = this.find(id);
    const wasReadOnly = this.current().readOnly;
    if (profile.environment === 'production') this.unlocked.add(id);
    this.options.log(`production profile "${profile.name}" unlocked for this run`);
    // The core of a read-only profile runs no work: reopened in place, its workers, scheduler and loops start.
    if (wasReadOnly && !this.current().readOnly) await this.options.restart(this.configOf(this.active));
    return this.modeReport();
  }

  async exportProfiles({ ids, secrets, passphrase }: ExportProfilesRequest): Promise<ProfileExport> {
    const saved = this.options.file.list();
    const chosen = ids ? ids.map((id) => saved.find((p) => p.id === id) ?? this.unknown(id)) : saved;
    const passwords = Object.fromEntries(chosen.map((profile) => [profile.id, passwordsOf(profile)]));
    return {
      format: 'jobdeck-connection-profiles',
      version: 1,
      profiles: chosen.map(withoutPasswords),
      secrets: secrets && passphrase ? await sealWithPassphrase(JSON.stringify(passwords), passphrase) : null,
    };
  }

  /** Saves every profile of an export as a new one (a new id when its own is taken); its passwords only with the passphrase. */
  async importProfiles({ document, passphrase }: ImportProfilesRequest): Promise<ConnectionProfile[]> {
    if (document.secrets && passphrase === undefined) {
      throw new ValidationError([{ field: 'passphrase', rule: 'required', message: 'passphrase is required: this export carries encrypted passwords' }]);
    }
    const passwords = document.secrets ? (JSON.parse(await openWithPassphrase(document.secrets, passphrase!)) as Record<string, Record<string, string>>) : {};
    const imported = this.options.file.change((profiles) => {
      const taken = new Set([ENVIRONMENT_PROFILE_ID, ...profiles.map((p) => p.id)]);
      const added = document.profiles.map((profile) => {
        const id = taken.has(profile.id) || !/^[a-z0-9-]{1,80}$/.test(profile.id) ? newId(profile.name) : profile.id;
        taken.add(id);
        return { ...withPasswords(profile, passwords[profile.id] ?? {}), id, workers: this.kindNames(profile.workers) };
      });
      return { profiles: [...profiles, ...added], answer: added };
    });
    return imported.map(masked);
  }

  current(): ProfileMode {
    const { id, name, environment, color, read_only: readOnly } = this.active;
    const locked = environment === 'production' && !this.unlocked.has(id);
    const why = readOnly
      ? 'its settings make it read-only'
      : locked
        ? 'a production profile opens read-only until it is unlocked for this run'
        : null;
    return { id, name, environment, color, readOnly: why !== null, reason: why };
  }

  private modeReport(): ProfileModeReport {
    const { readOnly, ...mode } = this.current();
    return { ...mode, read_only: readOnly };
  }

  /** The console's settings on `profile`: its connections, namespace and worker counts (`JOBDECK_WORKERS` winning), the rest as at start. */
  private configOf(profile: ConnectionProfile): ConsoleConfig {
    const { base } = this.options;
    if (profile.id === ENVIRONMENT_PROFILE_ID) return base;
    return {
      ...base,
      amqpUrl: profile.amqp_url,
      redisUrl: profile.redis_url,
      databaseUrl: profile.database_url,
      smtpUrl: profile.smtp_url,
      namespace: profile.namespace,
      workers: workerCountsOf(base.kinds, profile.workers, base.workersFromEnv),
    };
  }

  private environmentProfile(): ConnectionProfile {
    const { base } = this.options;
    return {
      id: ENVIRONMENT_PROFILE_ID,
      name: ENVIRONMENT_PROFILE_ID,
      environment: 'development',
      color: null,
      amqp_url: base.amqpUrl,
      redis_url: base.redisUrl,
      database_url: base.databaseUrl,
      smtp_url: base.smtpUrl,
      namespace: base.namespace,
      workers: base.workers,
      read_only: false,
    };
  }

  private find(id: string): ConnectionProfile {
    if (id === ENVIRONMENT_PROFILE_ID) return this.environmentProfile();
    return this.options.file.list().find((p) => p.id === id) ?? this.unknown(id);
  }

  private unknown(id: string): never {
    throw new ProfileRefusal(problem(404, `no connection profile with id ${JSON.stringify(id)}`, 'unknown-profile'));
  }

  private refuseEnvironment(id: string, verb: string): void {
    if (id !== ENVIRONMENT_PROFILE_ID) return;
    throw new ProfileRefusal(
      problem(409, `the "environment" profile is made by the environment variables and cannot be ${verb}; duplicate it to save a copy`, 'environment-profile'),
    );
  }

  /** Worker counts by kind name (a letter such as `A` becomes `log`); an unknown kind is a 400 naming it. */
  private kindNames(workers: Record<string, number>): Record<JobKind, number> {
    const named: Record<JobKind, number> = {};
    for (const [key, count] of Object.entries(workers)) {
      const kind = this.options.base.kinds.resolve(key);
      if (!kind) throw new ValidationError([{ field: `workers.${key}`, rule: 'kind', message: `workers.${key} is not a kind of this console (${this.options.base.kinds.names.join(', ')})` }]);
      named[kind] = count;
    }
    return named;
  }
}

function newId(name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'profile';
  return `${slug === ENVIRONMENT_PROFILE_ID ? 'env' : slug}-${randomBytes(3).toString('hex')}`;
}

function masked(profile: ConnectionProfile): ConnectionProfile {
  return { ...profile, amqp_url: redactUrl(profile.amqp_url), redis_url: redactUrl(profile.redis_url), database_url: redactUrl(profile.database_url), smtp_url: profile.smtp_url && redactUrl(profile.smtp_url) };
}

/**
 * The URLs of a PATCH whose password is the mask, with the stored password back in them — only
 * for the same scheme, host, port and user: a kept password never follows a URL elsewhere.
 */
function keptPasswords(current: ConnectionProfile, patch: PatchProfileRequest): Partial<ConnectionProfile> {
  const kept: Partial<ConnectionProfile> = {};
  for (const field of PROFILE_URL_FIELDS) {
    const url = patch[field];
    const stored = current[field];
    if (!url || !isMaskedPassword(url)) continue;
    if (stored === null || !sameEndpoint(url, stored)) {
      throw new ValidationError([{ field, rule: 'password-required', message: `${field} names another server or user than the stored one: enter its password instead of ${MASKED_PASSWORD}` }]);
    }
    kept[field] = withPassword(splitPassword(url).url, splitPassword(stored).password);
  }
  return kept;
}

function passwordsOf(profile: ConnectionProfile): Record<string, string> {
  const passwords: Record<string, string> = {};
  for (const field of PROFILE_URL_FIELDS) {
    const password = profile[field] === null ? null : splitPassword(profile[field]).password;
    if (password !== null) passwords[field] = password;
  }
  return passwords;
}

function withoutPasswords(profile: ConnectionProfile): ConnectionProfile {
  const bare = { ...profile };
  for (const field of PROFILE_URL_FIELDS) if (bare[field] !== null) bare[field] = splitPassword(bare[field]).url;
  return bare;
}

function withPasswords(profile: ConnectionProfile, passwords: Record<string, string>): ConnectionProfile {
  const whole = { ...profile };
  for (const field of PROFILE_URL_FIELDS) if (whole[field] !== null) whole[field] = withPassword(whole[field], passwords[field] ?? null);
  return whole;
}
