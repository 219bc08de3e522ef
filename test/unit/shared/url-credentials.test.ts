import { describe, expect, it } from 'vitest';
import { httpTarget } from '../../../src-shared/url-credentials';

describe('httpTarget', () => {
  it('leaves a URL without user information as it is', () => {
    expect(httpTarget('https://example.com/hook?a=1')).toEqual({ url: 'https://example.com/hook?a=1', authorization: null });
  });

  it('moves user and password, percent-decoded, into Basic authorization', () => {
    const target = httpTarget('http://us%C3%A9r:p%40ss%3Aw@127.0.0.1:8080/x');
    expect(target.url).toBe('http://127.0.0.1:8080/x');
    expect(target.authorization).toBe(`Basic ${Buffer.from('usér:p@ss:w').toString('base64')}`);
  });

  it('takes a user with no password', () => {
    expect(httpTarget('http://token@example.com/').authorization).toBe(`Basic ${Buffer.from('token:').toString('base64')}`);
  });
});
