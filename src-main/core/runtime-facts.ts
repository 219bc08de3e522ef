import type { ConnectionSettings } from '../../src-shared/console-records';
import { redactUrl } from '../../src-shared/redact';
import type { ConsoleConfig } from '../config';
import type { WorkerSupervisor } from '../supervisor/worker-supervisor';

/** Where the workers send mail: the embedded sink, or the server SMTP_URL names. */
export interface MailTarget {
  url: string;
  host: string;
  port: number;
}

/**
 * What the running console knows about itself, filled in by its start-up steps and read per
 * request by the routes: no route captures a value that is set after it was built.
 */
export interface RuntimeFacts {
  /** The settings the core runs on now; a restart replaces them. */
  config: ConsoleConfig;
  /** The API's host as it goes into a URL. */
  host: string;
  /** The API's port: the configured one until it listens (0 picks a free one). */
  port: number;
  mail: MailTarget;
  /** The worker processes this console runs; null when it runs none, or before they start. */
  supervisor: WorkerSupervisor | null;
  /** Latched: once the workers were ready, a later crash is a worker's state, not the console's. */
  workersReadyOnce: boolean;
}

/** A host as it goes into a URL: IPv6 literals in brackets, wildcard addresses as loopback. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

export function initialFacts(config: ConsoleConfig, runsWorkers: boolean): RuntimeFacts {
  const mail = { url: `smtp://${config.smtpSinkHost}:${config.smtpSinkPort}`, host: config.smtpSinkHost, port: config.smtpSinkPort };
  return { config, host: urlHost(config.host), port: config.port, mail, supervisor: null, workersReadyOnce: !runsWorkers };
}

export function apiUrl(facts: RuntimeFacts): string {
  return `http://${facts.host}:${facts.port}`;
}

/** The connections in use, every password masked. */
export function connectionSettings(facts: RuntimeFacts): ConnectionSettings {
  const { config } = facts;
  return {
    api_url: apiUrl(facts),
    amqp_url: redactUrl(config.amqpUrl),
    redis_url: redactUrl(config.redisUrl),
    database_url: redactUrl(config.databaseUrl),
    smtp_url: redactUrl(config.smtpUrl ?? `smtp://${facts.mail.host}:${facts.mail.port}`),
    namespace: config.namespace,
    kinds_file: config.kindsFile,
  };
}
