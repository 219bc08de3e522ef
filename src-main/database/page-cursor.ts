import { UUID_PATTERN } from '../../src-shared/wire';

/** A cursor a client made up or changed: answered 400 naming `cursor`. */
export class InvalidCursorError extends Error {
  override name = 'InvalidCursorError';
}

/** A time as `toISOString()` writes it, the only form a cursor holds. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The opaque cursor of a page ordered newest first: `created_at|id` of its last row. */
export function encodePageCursor(row: { created_at: string; id: string }): string {
  return Buffer.from(`${row.created_at}|${row.id}`).toString('base64url');
}

/**
 * The `created_at` and `id` a cursor stands for; throws InvalidCursorError (a 400) for anything
 * else. The time must survive a round trip through Date, so PostgreSQL never sees one it refuses.
 */
export function decodePageCursor(cursor: string): [string, string] {
  const [at, id, ...rest] = Buffer.from(cursor, 'base64url').toString().split('|');
  const isTime = at !== undefined && ISO_TIME.test(at) && new Date(at).toISOString() === at;
  if (!isTime || !id || !UUID_PATTERN.test(id) || rest.length > 0) {
    throw new InvalidCursorError('cursor is not one this API gave out');
  }
  return [at, id];
}
