import { describe, expect, it } from 'vitest';
import { AMQP_HEARTBEAT_S, withHeartbeat } from '../../../../src-shared/node/amqp-heartbeat';

describe('withHeartbeat', () => {
  it('asks for the short heartbeat when the URL names none', () => {
    expect(withHeartbeat('amqp://guest:guest@127.0.0.1:5672')).toBe(`amqp://guest:guest@127.0.0.1:5672?heartbeat=${AMQP_HEARTBEAT_S}`);
    expect(withHeartbeat('amqp://h/vhost?frameMax=0')).toBe(`amqp://h/vhost?frameMax=0&heartbeat=${AMQP_HEARTBEAT_S}`);
  });
  it("keeps the URL's own heartbeat", () => {
    expect(withHeartbeat('amqp://h?heartbeat=30')).toBe('amqp://h?heartbeat=30');
    expect(withHeartbeat('amqp://h?x=1&heartbeat=0')).toBe('amqp://h?x=1&heartbeat=0');
  });
});
