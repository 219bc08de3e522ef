import { z } from 'zod';
import { timeSchema } from './job';

/** What a token may do: `read` every GET route, SSE and WebSocket; `write` everything. */
export const TOKEN_ROLES = ['read', 'write'] as const;
export type TokenRole = (typeof TOKEN_ROLES)[number];

/** Names the console gives itself: the window's and the workers' launch tokens, and an unauthenticated call. */
export const RESERVED_TOKEN_NAMES: readonly string[] = ['window', 'local', 'anonymous', 'workers'];

/** The rule of a token's name, said where a name is refused. */
export const TOKEN_NAME_RULE = '1–40 characters: lowercase letters, digits, ".", "_" or "-", starting with a letter or digit';
const TOKEN_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,39}$/;

/** A token's name: unique, as the audit trail shows who acted. */
export const tokenNameSchema = z
  .string()
  .regex(TOKEN_NAME_PATTERN, { error: `must be ${TOKEN_NAME_RULE}` })
  .refine((name) => !RESERVED_TOKEN_NAMES.includes(name), {
    error: `must not be ${RESERVED_TOKEN_NAMES.map((n) => JSON.stringify(n)).join(' or ')} (the console's own names)`,
    params: { rule: 'reserved' },
  });

export const tokenRoleSchema = z.enum(TOKEN_ROLES, { error: 'must be one of "read", "write"' });

/** `POST /api/v1/tokens` body. */
export const createTokenSchema = z.strictObject({
  name: tokenNameSchema,
  role: tokenRoleSchema,
});
export type CreateTokenRequest = z.output<typeof createTokenSchema>;

/** A token as listed: never its hash or its text. */
export const tokenSummarySchema = z.object({
  name: z.string(),
  role: tokenRoleSchema,
  created_at: timeSchema,
});
export type TokenSummary = z.output<typeof tokenSummarySchema>;

/** `POST /api/v1/tokens` answer: the token's text, shown this once only. */
export const createdTokenSchema = tokenSummarySchema.extend({
  /** `Authorization: Bearer <token>`; not kept by the console (only its SHA-256). */
  token: z.string(),
});
export type CreatedToken = z.output<typeof createdTokenSchema>;

/** `GET /api/v1/access`: whether this console needs a token, and who the request was made as. */
export const accessReportSchema = z.object({
  /** True when the API is bound beyond loopback: every request needs `Authorization: Bearer`. */
  required: z.boolean(),
  /** The token's name and role (`local` for an unauthenticated loopback call). */
  actor: z.object({ name: z.string(), role: tokenRoleSchema }),
});
export type AccessReport = z.output<typeof accessReportSchema>;
