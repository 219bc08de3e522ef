import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { namesFor } from '../../src-shared/topology';
import { cancelConsumers, closeSession, openSession, type Session } from '../../src-worker/broker-session';
import { KindGate } from '../../src-worker/kind-gate';
import { eventually } from '../support/console';
import { TEST_SERVICES, dropNamespace, uniqueNamespace } from '../support/namespace';

/** A worker's broker session follows its gate: a held kind takes no message, a released one takes those that waited. */
describe('broker session and kind gate (real RabbitMQ)', () => {
  const namespace = uniqueNamespace('gate');
  const names = namesFor(namespace);
  const gate = new KindGate();
  const received: string[] = [];
  let session: Session;

  /** Confirmed, so the message is in its queue before the test looks (a plain publish and close can lose it). */
  const publish = async (kind: string, body: string): Promise<void> => {
    const connection = await amqp.connect(TEST_SERVICES.amqpUrl);
    try {
      const channel = await connection.createConfirmChannel();
      channel.publish(names.exchange, kind, Buffer.from(body), { mandatory: true });
      await channel.waitForConfirms();
    } finally {
      await connection.close();
    }
  };

  beforeAll(async () => {
    gate.hold('email', 'paused');
    session = await openSession(
      { amqpUrl: TEST_SERVICES.amqpUrl, names, kinds: ['log', 'email'], prefetch: 5, ladder: [1000], gate },
      (open, message) => {
        received.push(`${message.fields.routingKey} ${message.content.toString()}`);
        open.channel.ack(message);
      },
      () => undefined,
    );
  });

  afterAll(async () => {
    await closeSession(session);
    await dropNamespace(namespace);
  });

  it('consumes only the open kinds, then the held one once released, and none after draining', async () => {
    expect([...session.consumers.keys()]).toEqual(['log']);
    await publish('log', 'l1');
    await publish('email', 'e1');
    await eventually(() => received, (got) => got.includes('log l1'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(received).not.toContain('email e1');

    gate.release('email', 'paused');
    await eventually(() => received, (got) => got.includes('email e1'));

    gate.hold('log', 'outage');
    await eventually(() => session.consumers.has('log'), (has) => !has);
    await publish('log', 'l2');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(received).not.toContain('log l2');

    await cancelConsumers(session);
    gate.release('log', 'outage');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(session.consumers.size).toBe(0);
    expect(received).not.toContain('log l2');
  });
});
