import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseWorkerCounts } from '../../../src-main/config';
import { MAX_WORKERS_PER_KIND } from '../../../src-shared/console-records';
import { builtinKindRegistry } from '../../../src-shared/builtin-kinds';

describe('console configuration', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 8000,
      amqpUrl: 'amqp://guest:guest@127.0.0.1:5672',
      redisUrl: 'redis://127.0.0.1:6379',
      databaseUrl: 'postgres://127.0.0.1:5432/jobdeck',
      smtpUrl: null,
      smtpSinkPort: 2525,
      namespace: 'jobdeck',
      workers: { log: 1, callback: 1, email: 1 },
      headless: false,
      defaultRecipient: 'operator@jobdeck.local',
    });
  });

  it('names the variable and the rule of a bad value', () => {
    expect(() => loadConfig({ JOBDECK_PORT: '80000' })).toThrow(/^JOBDECK_PORT=80000: .*65535/);
    expect(() => loadConfig({ REDIS_URL: 'http://x' })).toThrow(/REDIS_URL=http:\/\/x: must be a URL starting with redis:\/\//);
    expect(() => loadConfig({ JOBDECK_NAMESPACE: 'Bad-Name' })).toThrow(/JOBDECK_NAMESPACE=Bad-Name: must be lowercase/);
    expect(() => loadConfig({ JOBDECK_PORT: 'x' })).toThrow(ConfigError);
    expect(() => loadConfig({ JOBDECK_PORT: '80.5' })).toThrow('JOBDECK_PORT=80.5: must be an integer');
    expect(() => loadConfig({ JOBDECK_HEADLESS: 'yes' })).toThrow('JOBDECK_HEADLESS=yes: must be one of "0", "1", "true", "false", ""');
    expect(() => loadConfig({ JOBDECK_DEFAULT_RECIPIENT: 'nobody' })).toThrow('JOBDECK_DEFAULT_RECIPIENT=nobody: must be one email address');
    expect(loadConfig({ JOBDECK_DEFAULT_RECIPIENT: 'Ops <ops@bücher.example>' }).defaultRecipient).toBe('Ops <ops@bücher.example>');
  });

  it('bounds the inbox and the mailbox by the documented figures, and names a bad one', () => {
    const MIB = 1024 * 1024;
    const config = loadConfig({});
    expect(config.inboxQuota).toEqual({ maxItems: 10_000, maxBytes: 256 * MIB, bytesPerSecond: MIB });
    expect(config.mailboxQuota).toEqual({ maxItems: 10_000, maxBytes: 256 * MIB, bytesPerSecond: MIB, maxMessageBytes: 10 * MIB });
    expect(loadConfig({ JOBDECK_INBOX_MAX_ITEMS: '5', JOBDECK_MAILBOX_BYTES_PER_S: '2048' })).toMatchObject({
      inboxQuota: { maxItems: 5 },
      mailboxQuota: { bytesPerSecond: 2048 },
    });
    expect(() => loadConfig({ JOBDECK_INBOX_MAX_ITEMS: '0' })).toThrow(/^JOBDECK_INBOX_MAX_ITEMS=0: must be at least 1/);
    expect(() => loadConfig({ JOBDECK_INBOX_BYTES_PER_S: '100' })).toThrow(/^JOBDECK_INBOX_BYTES_PER_S=100: must be at least 1024/);
    expect(() => loadConfig({ JOBDECK_MAILBOX_MAX_MESSAGE_BYTES: String(101 * MIB) })).toThrow(/^JOBDECK_MAILBOX_MAX_MESSAGE_BYTES=\d+: must be at most 104857600/);
  });

  it('never repeats a password in its complaint', () => {
    expect(() => loadConfig({ AMQP_URL: 'http://user:topsecret@host' })).toThrow(/user:\*\*\*@host/);
    try {
      loadConfig({ AMQP_URL: 'http://user:topsecret@host' });
    } catch (error) {
      expect((error as Error).message).not.toContain('topsecret');
    }
  });

  it('reads worker counts by letter or name, 0 allowed, kinds not named keeping one', () => {
    expect(parseWorkerCounts('A=2,B=0,C=1', builtinKindRegistry())).toEqual({ log: 2, callback: 0, email: 1 });
    expect(parseWorkerCounts('email=3', builtinKindRegistry())).toEqual({ log: 1, callback: 1, email: 3 });
    expect(parseWorkerCounts('B=0', builtinKindRegistry())).toEqual({ log: 1, callback: 0, email: 1 });
    expect(() => parseWorkerCounts('A=two', builtinKindRegistry())).toThrow(/JOBDECK_WORKERS: "A=two" must look like A=2/);
    expect(() => parseWorkerCounts('D=1', builtinKindRegistry())).toThrow(ConfigError);
  });

  it('caps workers per kind at the limit the API scales to', () => {
    expect(parseWorkerCounts(`C=${MAX_WORKERS_PER_KIND}`, builtinKindRegistry()).email).toBe(MAX_WORKERS_PER_KIND);
    expect(() => parseWorkerCounts(`C=${MAX_WORKERS_PER_KIND + 1}`, builtinKindRegistry())).toThrow(`a count 0-${MAX_WORKERS_PER_KIND}`);
    expect(() => parseWorkerCounts('A=999', builtinKindRegistry())).toThrow(ConfigError);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ JOBDECK_PORT: '' }).port).toBe(8000);
    expect(loadConfig({ JOBDECK_HEADLESS: '1' }).headless).toBe(true);
  });
});
