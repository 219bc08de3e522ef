/** Inputs the API must refuse by name, shared by the unit tests on the app and the console's. */

/** A JSON object `depth` levels deep. */
export function nested(depth: number): string {
  return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

/** A cursor as the API encodes its own. */
export const cursorOf = (text: string): string => Buffer.from(text).toString('base64url');

export const SOME_UUID = '0b7e6a1c-1f7a-4c1e-9d1b-2f0c1a2b3c4d';

/** Time cursors Date.parse takes and PostgreSQL does not. */
export const TIMES_POSTGRES_REFUSES = [`1|${SOME_UUID}`, `2026-02-30T00:00:00.000Z|${SOME_UUID}`, `+275760-09-13T00:00:00.000Z|${SOME_UUID}`];
