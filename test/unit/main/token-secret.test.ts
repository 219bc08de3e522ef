import * as crypto from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';

vi.mock('node:crypto', async (importOriginal) => {
  const original = await importOriginal<typeof crypto>();
  return { ...original, timingSafeEqual: vi.fn(original.timingSafeEqual) };
});

const { newToken, tokenHash, tokenMatches } = await import('../../../src-main/access/token-secret');

describe('token secrets', () => {
  it('makes random jdk_ tokens of 32 bytes, base64url', () => {
    const [a, b] = [newToken(), newToken()];
    expect(a).toMatch(/^jdk_[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
  });

  it('accepts the token its hash was made of, and refuses wrong tokens of another and of the same length', () => {
    const token = newToken();
    const hash = tokenHash(token);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(tokenMatches(token, hash)).toBe(true);
    expect(tokenMatches(`${token}x`, hash)).toBe(false);
    expect(tokenMatches('jdk_short', hash)).toBe(false);
    expect(tokenMatches('', hash)).toBe(false);
    const sameLength = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    expect(sameLength).toHaveLength(token.length);
    expect(tokenMatches(sameLength, hash)).toBe(false);
  });

  it('compares with timingSafeEqual on two 32-byte digests, whatever the length presented', () => {
    const compare = vi.mocked(crypto.timingSafeEqual);
    const hash = tokenHash(newToken());
    for (const presented of ['', 'x', newToken(), 'y'.repeat(10_000)]) {
      compare.mockClear();
      expect(tokenMatches(presented, hash)).toBe(false);
      expect(compare).toHaveBeenCalledTimes(1);
      const [a, b] = compare.mock.calls[0]! as [Buffer, Buffer];
      expect([a.length, b.length]).toEqual([32, 32]);
    }
  });

  it('refuses a malformed stored hash without comparing', () => {
    expect(tokenMatches('anything', 'abc')).toBe(false);
  });
});
