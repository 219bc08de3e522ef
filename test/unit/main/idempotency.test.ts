import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src-shared/problem';
import { bodyFingerprint, readIdempotencyKey } from '../../../src-main/jobs/idempotency';

describe('idempotency keys', () => {
  it('take 1-255 printable ASCII characters and refuse the rest by the header name', () => {
    expect(readIdempotencyKey(undefined)).toBeUndefined();
    expect(readIdempotencyKey('order-42 retry#1')).toBe('order-42 retry#1');
    expect(readIdempotencyKey('x'.repeat(255))).toHaveLength(255);
    for (const bad of ['', 'x'.repeat(256), 'caf\u00e9', 'tab\t', ['a', 'b']]) {
      const error = (() => {
        try {
          readIdempotencyKey(bad);
        } catch (caught) {
          return caught;
        }
      })();
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).errors[0]).toMatchObject({ field: 'idempotency-key', rule: 'format' });
    }
  });

  it('fingerprint a body regardless of key order, and tell other bodies apart', () => {
    const a = bodyFingerprint({ kind: 'log', payload: { client_time: 1, x: [1, { b: 2, a: 1 }] } });
    const b = bodyFingerprint({ payload: { x: [1, { a: 1, b: 2 }], client_time: 1 }, kind: 'log' });
    expect(a).toBe(b);
    expect(bodyFingerprint({ kind: 'log', payload: { client_time: 2 } })).not.toBe(a);
    expect(bodyFingerprint([1, 2])).not.toBe(bodyFingerprint([2, 1]));
  });
});
