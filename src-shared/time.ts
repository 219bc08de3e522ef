/** RFC 3339 UTC with milliseconds, the one time format on every wire. */
export function toRfc3339(date: Date | number): string {
  return new Date(date).toISOString();
}
