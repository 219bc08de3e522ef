import { InvalidCursorError } from '../history/job-history';

/** The opaque cursor of a page ordered newest first: `created_at|id` of its last row. */
export function encodePageCursor(row: { created_at: string; id: string }): string {
  return Buffer.from(`${row.created_at}|${row.id}`).toString('base64url');
}

/** The `created_at` and `id` a cursor stands for; throws InvalidCursorError (a 400) for anything else. */
export function decodePageCursor(cursor: string): [string, string] {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (!at || !id || Number.isNaN(Date.parse(at)) || !/^[0-9a-f-]{36}$/i.test(id)) {
    throw new InvalidCursorError('cursor is not one this API gave out');
  }
  return [at, id];
}
