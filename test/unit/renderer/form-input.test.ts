import { describe, expect, it } from 'vitest';
import { clientTimeAtSubmit, numberOrText, optionalText, payloadOf } from '../../../src-renderer/views/submit/form-input';

describe('form input', () => {
  it('leaves empty fields out and keeps text that is not a number as text', () => {
    expect(payloadOf({ duration_ms: numberOrText(' 300 '), callback_url: optionalText('  ') })).toEqual({ duration_ms: 300 });
    expect(numberOrText('1700000000')).toBe(1700000000);
    expect(numberOrText('2025-01-01T00:00:00Z')).toBe('2025-01-01T00:00:00Z');
    expect(numberOrText('3e5')).toBe('3e5');
  });

  it('takes the client time at submit when the field is empty, and keeps what was typed', () => {
    expect(clientTimeAtSubmit('', 1_700_000_123_900)).toBe(1_700_000_123);
    expect(clientTimeAtSubmit('  ', 1_800_000_000_000)).toBe(1_800_000_000);
    expect(clientTimeAtSubmit('1700000000', 1_800_000_000_000)).toBe(1_700_000_000);
    expect(clientTimeAtSubmit('2026-01-01T00:00:00Z')).toBe('2026-01-01T00:00:00Z');
  });
});
