import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { consoleAccess, type ConsoleAccess } from './access/console-access';
import { newToken } from './access/token-secret';
import { buildApi } from './api/server';
import { MAX_INBOX_BODY_BYTES } from './api/record-routes';
import type { ConsoleConfig } from './config';
import { coreHealth, type CoreEnv } from './core/core';
import { CoreSlot } from './core/core-slot';
import { serving, type LiveParts } from './core/live-parts';
import { RequestGate } from './core/request-gate';
import { apiUrl, connectionSettings, initialFacts, type RuntimeFacts } from './core/runtime-facts';
import { StartupError, reason } from './core/startup-error';
import type { HealthReport } from './health';
import { recordByteBudget } from './inbox/client-byte-budget';
import { Closers } from './lifecycle/closers';
import { AuditRecorder } from './audit/audit-recorder';
import { ProfileFile } from './profiles/profile-file';
import { ProfileService } from './profiles/profile-service';
import { fileSecretBox, type SecretBox } from './profiles/secret-box';
import type { EventRelay } from './relay/event-relay';
import type { ProfileModeSource } from './profiles/profile-mode';
import type { WorkerEntry, WorkerSupervisor } from './supervisor/worker-supervisor';
import type { ConnectionSettings } from '../src-shared/console-records';
import { checkModuleExports } from '../src-shared/node/kinds-file';
import { redactText } from '../src-shared/redact';

export { StartupError } from './core/startup-error';

export interface ConsoleOptions {
  config: ConsoleConfig;
  /** How to start worker processes; null starts none (they run elsewhere). */
  workerEntry: WorkerEntry | null;
  /** The built console page, served at `/`. */
  rendererDir?: string;
  log?: (line: string) => void;
  /** The Electron window's token for this launch (role write, name `window`), held in memory only. */
  launchToken?: string;
  /** The active profile's mode the guardrails go by (the profiles fill it); the environment's writable mode without it. */
  profileMode?: ProfileModeSource;
  /** Where saved profiles keep their passwords: the window's safeStorage; the profiles file itself (mode 0600) without it. */
  secretBox?: SecretBox;
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
  /** The connection profiles: the active one's mode, and activation (a restart in place on a profile). */
  readonly profiles: ProfileService;
  /** Stops every part in reverse order; calling it again does nothing. */
  close(): Promise<void>;
}

/** Longest a start waits for its workers before it goes on, saying so; health says `starting` until they are ready. */
const WORKERS_READY_WAIT_MS = 20_000;

/**
 * The composition root, as steps: open stores → broker → API (the port is taken before
 * anything shared is touched) → outlets → mail → workers (the core's steps, `openCore`), then
 * wait for the workers. Every step fills in the runtime facts the routes read; a restart runs
 * the core's steps again behind the same API.
 */
export async function startConsole(options: ConsoleOptions): Promise<RunningConsole> {
  // Every part logs through this one function: a token or password in a line never gets out.
  const log = (line: string): void => options.log?.(redactText(line));
  const { kinds, kindsFile } = options.config;
  // The one check of the kinds file that cannot be made while the settings are read: an import.
  if (kindsFile) await checkModuleExports(kinds, kindsFile);
  // The workers' token for this launch: its inbox takes it, the workers get it (see CoreEnv).
  const workersToken = newToken();
  const access = consoleAccess(options.config.host, options.config.tokensFile, options.launchToken, workersToken);
  const facts = initialFacts(options.config, options.workerEntry !== null);
  const env: CoreEnv = { facts, workerEntry: options.workerEntry, log, relay: null, workersToken };
  const gate = new RequestGate();
  const slot = new CoreSlot(env, gate);
  const box = options.secretBox ?? fileSecretBox();
  const profiles = new ProfileService({
    file: new ProfileFile(options.config.profilesFile, box),
    box,
    base: options.config,
    restart: (next) => slot.restart(next),
    log,
  });
  const mode = options.profileMode ?? profiles;
  env.readOnly = () => mode.current().readOnly;
  const api = new Closers(log);
  // Rows wait in the recorder while a restart swaps the core; it closes after the API, before the stores.
  const audit = new AuditRecorder({ store: () => serving(slot.services).audit, log });
  api.add('audit trail', () => audit.close());
  try {
    await slot.open(options.config, async () => {
      const app = await buildConsoleApi(options, env, slot, access, audit, profiles);
      gate.install(app);
      await listen(app, options.config);
      api.add('API', () => app.close());
      facts.port = (app.server.address() as AddressInfo).port;
    });
    if (access.options.required) log(`bound to ${options.config.host}: every API request needs a token of ${options.config.tokensFile} (npm run tokens)`);
    await waitForWorkers(facts, log);
  } catch (error) {
    await api.close();
    throw error;
  }
  return {
    ...slot.parts,
    url: apiUrl(facts),
    port: facts.port,
    get smtpUrl() {
      return facts.mail.url;
    },
    relay: env.relay!,
    get supervisor() {
      return facts.supervisor;
    },
    health: () => coreHealth(serving(slot.services), facts),
    settings: () => connectionSettings(facts),
    restart: (next) => slot.restart(next),
    profiles,
    // The API stops between the core's work and its stores, as Fastify lets the requests inside finish.
    close: () => slot.close(() => api.close()),
  };
}

/** The API on the live parts: it reads the runtime facts and the serving core per request. */
function buildConsoleApi(
  options: ConsoleOptions,
  env: CoreEnv,
  slot: CoreSlot,
  access: ConsoleAccess,
  recorder: AuditRecorder,
  profiles: ProfileService,
): Promise<FastifyInstance> {
  const { config } = options;
  const { facts } = env;
  return buildApi({
    ...slot.parts,
    kinds: config.kinds,
    relay: env.relay!,
    inboxBudget: recordByteBudget(config.inboxQuota.bytesPerSecond, MAX_INBOX_BODY_BYTES),
    health: () => coreHealth(serving(slot.services), facts),
    guard: { host: config.host, port: () => facts.port, allowedHosts: config.allowedHosts },
    access: access.options,
    tokens: access.store,
    workers: () => facts.supervisor,
    settings: () => connectionSettings(facts),
    rendererDir: options.rendererDir,
    onLog: env.log,
    http: config.http,
    audit: { store: slot.parts.audit, recorder },
    profiles,
    profileMode: options.profileMode ?? profiles,
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
