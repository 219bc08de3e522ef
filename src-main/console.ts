import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApi } from './api/server';
import { MAX_INBOX_BODY_BYTES } from './api/record-routes';
import type { ConsoleConfig } from './config';
import { coreHealth, openCore, type Core, type CoreEnv, type CoreServices } from './core/core';
import { liveParts, serving, type LiveParts } from './core/live-parts';
import { RequestGate } from './core/request-gate';
import { apiUrl, connectionSettings, initialFacts, type RuntimeFacts } from './core/runtime-facts';
import { StartupError, reason } from './core/startup-error';
import type { HealthReport } from './health';
import { recordByteBudget } from './inbox/client-byte-budget';
import { Closers } from './lifecycle/closers';
import type { EventRelay } from './relay/event-relay';
import type { WorkerEntry, WorkerSupervisor } from './supervisor/worker-supervisor';
import type { ConnectionSettings } from '../src-shared/console-records';

export { StartupError } from './core/startup-error';

export interface ConsoleOptions {
  config: ConsoleConfig;
  /** How to start worker processes; null starts none (they run elsewhere). */
  workerEntry: WorkerEntry | null;
  /** The built console page, served at `/`. */
  rendererDir?: string;
  log?: (line: string) => void;
}

/** A running console: its address and its services, which stay the same objects across a restart. */
export interface RunningConsole extends LiveParts {
  url: string;
  port: number;
  readonly smtpUrl: string;
  relay: EventRelay;
  readonly supervisor: WorkerSupervisor | null;
  /** The health report (what `GET /api/v1/health` answers). */
  health: () => Promise<HealthReport>;
  settings: () => ConnectionSettings;
  /**
   * Closes the core and opens it again on `config`'s connection settings (RabbitMQ, Redis,
   * PostgreSQL, SMTP, namespace, workers) while the API keeps listening on its address; requests
   * that arrive meanwhile get 503 with `Retry-After: 1`. If the new settings fail, the previous
   * ones are opened again and the failure is thrown.
   */
  restart(config: ConsoleConfig): Promise<void>;
  /** Stops every part in reverse order; calling it again does nothing. */
  close(): Promise<void>;
}

/** Longest a start waits for its workers before it goes on, saying so; health says `starting` until they are ready. */
const WORKERS_READY_WAIT_MS = 20_000;
/** Longest a restart waits for the requests already inside before it closes the stores under them. */
const DRAIN_MS = 10_000;

/**
 * The composition root, as steps: open stores → broker → API (the port is taken before
 * anything shared is touched) → outlets → mail → workers (`openCore`), then wait for the
 * workers. Every step fills in the runtime facts the routes read; a restart runs the core's
 * steps again behind the same API.
 */
export async function startConsole(options: ConsoleOptions): Promise<RunningConsole> {
  const log = options.log ?? (() => undefined);
  const facts = initialFacts(options.config, options.workerEntry !== null);
  const env: CoreEnv = { facts, workerEntry: options.workerEntry, log, relay: null };
  const closers = new Closers(log);
  const gate = new RequestGate();
  // The core to close, and the services the API serves from: the first start serves them before
  // its core has finished opening (health says "starting" meanwhile); a restart has neither.
  let core: Core | null = null;
  let services: CoreServices | null = null;
  const parts = liveParts(() => services);
  try {
    core = await openCore(options.config, env, async (opened) => {
      services = opened;
      const api = await buildConsoleApi(options, facts, env, parts, () => services);
      gate.install(api);
      await listen(api, options.config);
      closers.add('API', () => api.close());
      facts.port = (api.server.address() as AddressInfo).port;
    });
    await waitForWorkers(facts, log);
  } catch (error) {
    await closers.close();
    throw error;
  }

  const swap = async (next: ConsoleConfig): Promise<void> => {
    const previous = facts.config;
    await core?.close(() => drain(gate, 'the console is restarting on new connection settings; retry in a second', log));
    core = services = null;
    try {
      core = services = await openCore(next, env);
    } catch (error) {
      log(`restarting on the new settings failed (${reason(error)}); opening the previous ones again`);
      core = services = await openCore(previous, env).catch((again: unknown) => {
        log(`the previous settings failed too (${reason(again)}); the API answers 503 until the next restart`);
        return null;
      });
      throw error;
    } finally {
      if (core) gate.open();
    }
    log(`restarted on ${connectionSettings(facts).amqp_url}, ${connectionSettings(facts).redis_url}`);
  };
  let restarting: Promise<void> = Promise.resolve();
  let closing: Promise<void> | null = null;
  return {
    ...parts,
    url: apiUrl(facts),
    port: facts.port,
    get smtpUrl() {
      return facts.mail.url;
    },
    relay: env.relay!,
    get supervisor() {
      return facts.supervisor;
    },
    health: () => coreHealth(serving(services), facts),
    settings: () => connectionSettings(facts),
    restart: (next) => {
      if (closing) return Promise.reject(new Error('the console is closed'));
      restarting = restarting.catch(() => undefined).then(() => swap(next));
      return restarting;
    },
    // The API stops between the core's work and its stores, as Fastify lets the requests inside finish.
    close: () =>
      (closing ??= restarting
        .catch(() => undefined)
        .then(() => (core ? core.close(() => closers.close()) : closers.close()))),
  };
}

/** The API on the live parts: it reads the runtime facts and the serving core per request. */
function buildConsoleApi(options: ConsoleOptions, facts: RuntimeFacts, env: CoreEnv, parts: LiveParts, core: () => CoreServices | null): Promise<FastifyInstance> {
  const { config } = options;
  return buildApi({
    ...parts,
    relay: env.relay!,
    inboxBudget: recordByteBudget(config.inboxQuota.bytesPerSecond, MAX_INBOX_BODY_BYTES),
    health: () => coreHealth(serving(core()), facts),
    guard: { host: config.host, port: () => facts.port, allowedHosts: config.allowedHosts },
    workers: () => facts.supervisor,
    settings: () => connectionSettings(facts),
    rendererDir: options.rendererDir,
    onLog: env.log,
    http: config.http,
  });
}

async function listen(api: FastifyInstance, config: ConsoleConfig): Promise<void> {
  try {
    await api.listen({ host: config.host, port: config.port });
  } catch (error) {
    await api.close();
    if ((error as { code?: string }).code === 'EADDRINUSE') {
      throw new StartupError(`port ${config.port} on ${config.host} is already in use (another Jobdeck console?); set JOBDECK_PORT to a free port`);
    }
    throw new StartupError(`listening on ${config.host}:${config.port} failed (${reason(error)}); check JOBDECK_HOST`);
  }
}

/** The address is printed once jobs can run: before it, a job would wait in QUEUED for a worker. */
async function waitForWorkers(facts: RuntimeFacts, log: (line: string) => void): Promise<void> {
  if (facts.supervisor && !(await facts.supervisor.whenReady(WORKERS_READY_WAIT_MS))) {
    log(`the workers are not ready after ${WORKERS_READY_WAIT_MS / 1000} s; GET /api/v1/health answers "starting" until they are`);
  }
}

/** Shuts the gate and waits for the requests inside, saying so if some outlast the wait. */
async function drain(gate: RequestGate, why: string, log: (line: string) => void): Promise<void> {
  gate.shut(why);
  const left = await gate.drained(DRAIN_MS);
  if (left > 0) log(`${left} requests still running after ${DRAIN_MS / 1000} s; closing the core under them`);
}
