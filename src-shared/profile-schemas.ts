import { z } from 'zod';
import { MAX_WORKERS_PER_KIND } from './console-records';
import { PROFILE_ENVIRONMENTS, modeReportSchema } from './mode-report';

/** The wire contract of connection profiles (`/api/v1/connections`): what a profile is and what each verb takes. */

export { PROFILE_ENVIRONMENTS };
export type ProfileEnvironmentName = (typeof PROFILE_ENVIRONMENTS)[number];

/** The id of the unsaved profile the environment variables make (active at start). */
export const ENVIRONMENT_PROFILE_ID = 'environment';
/** The URL fields of a profile: each may carry a password, which is never answered (masked as `***`). */
export const PROFILE_URL_FIELDS = ['amqp_url', 'redis_url', 'database_url', 'smtp_url'] as const;
export type ProfileUrlField = (typeof PROFILE_URL_FIELDS)[number];
/** The service each URL field connects to, by the name the health report and the test use. */
export const PROFILE_SERVICES = { amqp_url: 'rabbitmq', redis_url: 'redis', database_url: 'postgresql', smtp_url: 'smtp' } as const;
/** What a password shows as; sent back unchanged in a PATCH, it keeps the stored password. */
export const MASKED_PASSWORD = '***';
/** Shortest passphrase an export with secrets takes. */
export const MIN_PASSPHRASE_LENGTH = 8;

const QUERY_PASSWORDS = ['password', 'pass'];

const urlOf = (schemes: readonly string[]) =>
  z
    .string()
    .max(2048)
    .refine((text) => URL.canParse(text) && schemes.includes(new URL(text).protocol.slice(0, -1)), {
      error: `must be a URL of scheme ${schemes.join(' or ')}`,
      params: { rule: 'url' },
    })
    // A password in the query (`?password=`, `?pass=`) would be answered unmasked: it belongs in the user-info.
    .refine((text) => !URL.canParse(text) || !QUERY_PASSWORDS.some((name) => new URL(text).searchParams.has(name)), {
      error: 'must not carry a password in its query: put it in the user-info (scheme://user:password@host)',
      params: { rule: 'password-in-query' },
    });

const profileFields = {
  name: z.string().trim().min(1, { error: 'must not be empty' }).max(60, { error: 'must be at most 60 characters' }),
  environment: z.enum(PROFILE_ENVIRONMENTS, { error: `must be one of ${PROFILE_ENVIRONMENTS.map((e) => `"${e}"`).join(', ')}` }),
  color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, { error: 'must be a colour as #rrggbb' })
    .transform((c) => c.toLowerCase())
    .nullable(),
  amqp_url: urlOf(['amqp', 'amqps']),
  redis_url: urlOf(['redis', 'rediss']),
  database_url: urlOf(['postgres', 'postgresql']),
  /** Null: the console's embedded mail sink. */
  smtp_url: urlOf(['smtp', 'smtps']).nullable(),
  namespace: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, { error: 'must be 1–40 characters: lowercase letters, digits or "_", starting with a letter' }),
  /** Worker processes per kind (by name or letter); a kind not named keeps the kinds file's count. */
  workers: z.record(z.string().regex(/^[A-Za-z0-9-]+$/), z.number().int().min(0).max(MAX_WORKERS_PER_KIND)),
  /** Every changing verb refused while this profile is active. */
  read_only: z.boolean(),
};

/** `POST /api/v1/connections` body: name and URLs required; the rest defaults. */
export const createProfileSchema = z.strictObject({
  ...profileFields,
  environment: profileFields.environment.default('development'),
  color: profileFields.color.default(null),
  smtp_url: profileFields.smtp_url.default(null),
  namespace: profileFields.namespace.default('jobdeck'),
  workers: profileFields.workers.default({}),
  read_only: profileFields.read_only.default(false),
});
export type CreateProfileRequest = z.output<typeof createProfileSchema>;

/** `PATCH /api/v1/connections/<id>` body: any of the fields; a URL whose password is `***` keeps the stored one. */
export const patchProfileSchema = z.strictObject(profileFields).partial();
export type PatchProfileRequest = z.output<typeof patchProfileSchema>;

/** A profile as answered: passwords masked. */
export const profileSchema = z.object({
  id: z.string(),
  ...profileFields,
});
export type ConnectionProfile = z.output<typeof profileSchema>;

/** Where a profile's passwords are kept, in words an operator reads. */
export const secretStorageSchema = z.object({
  /** True when the stored passwords are encrypted (the window's `safeStorage` with a keyring). */
  encrypted: z.boolean(),
  /** `file` (headless: the profiles file itself, mode 0600), or `safeStorage:<backend>`. */
  backend: z.string(),
  /** What an operator should know (the basic text fallback, the plain file); null when nothing. */
  note: z.string().nullable(),
});
export type SecretStorage = z.output<typeof secretStorageSchema>;

/** The live profile's mode: what the header shows and the guardrails go by. */
export const profileModeSchema = modeReportSchema;
export type ProfileModeReport = z.output<typeof profileModeSchema>;

/** `GET /api/v1/connections`: the profiles (the environment's first), the active one and where secrets go. */
export const profileListSchema = z.object({
  items: z.array(profileSchema),
  active: profileModeSchema,
  secrets: secretStorageSchema,
  file: z.string(),
});
export type ProfileList = z.output<typeof profileListSchema>;

const dependencyStateSchema = z.object({ up: z.boolean(), error: z.string().nullable() });
/** `POST /api/v1/connections/<id>/test`: each service by name, with its error. */
export const profileTestSchema = z.object({
  ok: z.boolean(),
  services: z.object({ rabbitmq: dependencyStateSchema, redis: dependencyStateSchema, postgresql: dependencyStateSchema, smtp: dependencyStateSchema }),
});
export type ProfileTest = z.output<typeof profileTestSchema>;

const passphraseSchema = z.string().min(MIN_PASSPHRASE_LENGTH, { error: `must be at least ${MIN_PASSPHRASE_LENGTH} characters` }).max(1024);

/** `POST /api/v1/connections/export` body: which profiles (all saved ones without `ids`); secrets only with a passphrase. */
export const exportProfilesSchema = z
  .strictObject({
    ids: z.array(z.string()).max(1000).optional(),
    secrets: z.boolean().default(false),
    passphrase: passphraseSchema.optional(),
  })
  .refine((body) => !body.secrets || body.passphrase !== undefined, {
    error: 'is required with "secrets": true (the passwords are encrypted with it)',
    path: ['passphrase'],
    params: { rule: 'required' },
  });
export type ExportProfilesRequest = z.output<typeof exportProfilesSchema>;

/** The passwords of an export, encrypted: scrypt of the passphrase (N 2^15, r 8, p 1) keys AES-256-GCM. */
export const sealedSecretsSchema = z.strictObject({
  kdf: z.literal('scrypt'),
  cipher: z.literal('aes-256-gcm'),
  salt: z.string().max(100),
  iv: z.string().max(100),
  tag: z.string().max(100),
  data: z.string().max(1_000_000),
});
export type SealedSecrets = z.output<typeof sealedSecretsSchema>;

/** An export file: profiles without passwords, and their passwords sealed when asked for. */
export const profileExportSchema = z.strictObject({
  format: z.literal('jobdeck-connection-profiles'),
  version: z.literal(1),
  profiles: z.array(profileSchema.omit({ id: true }).extend({ id: z.string().max(100) })).max(1000),
  secrets: sealedSecretsSchema.nullable(),
});
export type ProfileExport = z.output<typeof profileExportSchema>;

/** `POST /api/v1/connections/import` body: an export, and its passphrase when it carries secrets. */
export const importProfilesSchema = z.strictObject({
  document: profileExportSchema,
  passphrase: passphraseSchema.optional(),
});
export type ImportProfilesRequest = z.output<typeof importProfilesSchema>;
