import { describe, expect, it } from 'vitest';
import { isLoopbackBind } from '../../../src-shared/node/bind-address';

describe('isLoopbackBind', () => {
  it('keeps loopback addresses and the name localhost to this machine', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '::1', '[::1]', '::ffff:127.0.0.1', '0:0:0:0:0:0:0:1']) {
      expect(isLoopbackBind(host), host).toBe(true);
    }
  });

  it('takes wildcards, other addresses and other names as open to the network', () => {
    for (const host of ['0.0.0.0', '::', '[::]', '192.168.1.5', '10.0.0.1', '::ffff:10.0.0.1', 'example.org', 'localhost.example.org', '128.0.0.1']) {
      expect(isLoopbackBind(host), host).toBe(false);
    }
  });
});
