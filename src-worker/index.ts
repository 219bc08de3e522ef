import { hostname, userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import type { Redis } from 'ioredis';
import pg from 'pg';
import type { KindRegistry } from '../src-shared/kind-registry';
import type { JobKind } from '../src-shared/kinds';
import { loadKindRegistry } from '../src-shared/node/kinds-file';
import { redactText, redactUrl } from '../src-shared/redact';
import { ConfigError, readEnv, retryPolicyFrom, sharedEnvShape } from '../src-shared/settings';
import { databaseConnection } from '../src-shared/node/database-url';
import { JobStatusClient } from '../src-shared/node/status-store';
import { WorkerHeartbeats } from '../src-shared/node/worker-heartbeats';
import { workerName } from '../src-shared/worker-heartbeat';
import { countReport, freshTally, type WorkerTally } from '../src-shared/worker-tally';
import { JobLogStore } from '../src-shared/node/job-log-store';
import { OutboundClient } from '../src-shared/node/outbound-fetch';
import { outboundSettings, type OutboundSettings } from '../src-shared/node/outbound-policy';
import { NamespaceOutbound } from '../src-shared/node/namespace-outbound';
import { listenForCancels, RunningAttempts } from './running-attempts';
import { namesFor, type Names } from '../src-shared/topology';

import { builtinHandler, builtinPrefetch, type BuiltinHandlerDeps } from './handlers/builtin-handlers';
import type { JobHandler } from './handlers/handler';
import { createHandler } from './handlers/user-handlers';
import { openRedis, watchRedis } from './worker-redis';
import { KindGate } from './kind-gate';
import { FlowControl } from './flow-control';
import { flowKeysOf } from '../src-shared/flow';
import { WorkerProcess, type WorkerProcessOptions } from './worker-process';
import { SUPERVISOR_ID_ENV, WORKER_SLOT_ENV, isMainToWorkerMessage, type WorkerToMainMessage } from '../src-shared/worker-protocol';
import { beatOf, startHeartbeat, type Heartbeat, type WorkerIdentity } from './heartbeat';

type WorkerEnv = ReturnType<typeof readEnv<typeof sharedEnvShape>>;

/** How long jobs in hand may run on after SIGTERM before they are given back to the queue. */
const SHUTDOWN_GRACE_MS = 8_000;
const EXIT_CONNECTION_LOST = 75;

/** `--kind A,resize`: kinds by name (or a built-in kind's letter), each one the registry knows. */
function parseKinds(text: string, registry: KindRegistry): JobKind[] {
  const kinds = text.split(',').map((k) => registry.resolve(k.trim()));
  if (kinds.some((k) => !k)) {
    throw new ConfigError(`--kind ${text}: must be kinds by name or letter (${registry.describe()}), comma separated`);
  }
  return [...new Set(kinds as JobKind[])];
}

function databasePool(url: string, applicationName: string): pg.Pool {
  const pool = new pg.Pool({
    ...databaseConnection(url, process.env.PGUSER || userInfo().username),
    application_name: applicationName,
    max: 4,
    connectionTimeoutMillis: 5_000,
    // A database gone silent (no reset) fails the attempt rather than hold the job for ever.
    query_timeout: 10_000,
  });
  pool.on('error', () => undefined);
  return pool;
}

/** How often a spawned worker tells the console its memory. */
const STATS_EVERY_MS = 5_000;

/** Reports memory now and every few seconds; the timer never keeps the process alive. */
function reportStats(report: (message: WorkerToMainMessage) => void): void {
  if (!process.send) return;
  const send = (): void => report({ type: 'stats', rssBytes: process.memoryUsage().rss });
  send();
  setInterval(send, STATS_EVERY_MS).unref();
}

/** This process's one name, as its timelines, heartbeat and log lines give it. */
function ownName(): string {
  return workerName(hostname(), process.pid);
}

/** Writes a line to the worker's stderr, under its name. */
function log(line: string): void {
  console.error(`[worker ${ownName()}] ${line}`);
}

/** Tells the supervising console, if there is one. */
function tellConsole(message: WorkerToMainMessage): void {
  if (process.send) process.send(message);
}

/** Counts what the worker reports into its tally (for its heartbeat), and tells its console. */
function reporter(tally: WorkerTally): (message: WorkerToMainMessage) => void {
  return (message) => {
    countReport(tally, message);
    tellConsole(message);
  };
}

/** What this worker runs, and in which namespace. */
interface WorkerSetup {
  env: WorkerEnv;
  names: Names;
  /** Every kind (the built-in ones and `JOBDECK_KINDS`'), their payload schemas compiled. */
  registry: KindRegistry;
  /** The kinds this worker consumes: `--kind`, every kind of the registry by default. */
  kinds: JobKind[];
  identity: WorkerIdentity;
  /** The worker's own outbound URL policy (a spawning console names its effective one); the namespace's console's may be stricter. */
  outbound: OutboundSettings;
}

function readSetup(): WorkerSetup {
  const env = readEnv(sharedEnvShape, process.env);
  const registry = loadKindRegistry(env.JOBDECK_KINDS);
  const { values } = parseArgs({ options: { kind: { type: 'string' } } });
  const kinds = values.kind ? parseKinds(values.kind, registry) : [...registry.names];
  const spawned = Boolean(process.send);
  const identity: WorkerIdentity = {
    name: ownName(),
    host: hostname(),
    pid: process.pid,
    kinds,
    startedAt: new Date().toISOString(),
    supervisor: spawned ? (process.env[SUPERVISOR_ID_ENV] ?? null) : null,
    slot: spawned ? (process.env[WORKER_SLOT_ENV] ?? null) : null,
  };
  return { env, names: namesFor(env.JOBDECK_NAMESPACE), registry, kinds, identity, outbound: outboundSettings(env) };
}

/** Each kind's handler: a built-in one, or the runtime of the kind's module, command or http endpoint. */
function handlersFor({ registry, kinds }: WorkerSetup, deps: BuiltinHandlerDeps): Partial<Record<JobKind, JobHandler>> {
  return Object.fromEntries(
    kinds.map((kind) => {
      const { definition } = registry.entry(kind);
      const { handler } = definition;
      return [kind, 'builtin' in handler ? builtinHandler(handler, deps) : createHandler(handler, definition, deps.outbound)];
    }),
  );
}

/** Each kind's prefetch where it differs from `JOBDECK_WORKER_PREFETCH`: the kinds file's, or a built-in kind's own. */
function prefetchOf({ registry, kinds, env }: WorkerSetup): Partial<Record<JobKind, number>> {
  const deps = { logPrefetch: env.JOBDECK_LOG_PREFETCH };
  return Object.fromEntries(
    kinds.flatMap((kind) => {
      const { handler, prefetch } = registry.entry(kind).definition;
      const own = prefetch ?? ('builtin' in handler ? builtinPrefetch(handler, deps) : undefined);
      return own === undefined ? [] : [[kind, own]];
    }),
  );
}

/** What a worker process holds open; `worker` is set once it is built. */
interface WorkerParts {
  redis: Redis;
  /** Subscribed to the namespace's cancel channel. */
  subscriber: Redis;
  pool: pg.Pool | null;
  handlers: Partial<Record<JobKind, JobHandler>>;
  /** The outbound URL policy the handlers' POSTs go through, and the namespace's settings it follows. */
  outbound: OutboundClient;
  namespaceOutbound: NamespaceOutbound;
  /** Which kinds the worker takes messages of now: each reason to hold one (a pause, an outage) holds it here. */
  gate: KindGate;
  /** The kinds' pause and limits as Redis holds them: pauses hold kinds on `gate`. */
  flow: FlowControl;
  worker?: WorkerProcess;
  heartbeat?: Heartbeat;
}

/** Stops the worker (a drain of up to the grace), closes its parts and exits with `code`. */
interface Shutdown {
  stop(code: number): Promise<never>;
  /** Whether stopping was asked for. */
  readonly asked: boolean;
}

/**
 * Stopping is asked for more than once (a Ctrl-C reaches this process and its console, which
 * then sends `shutdown`): every later ask waits for the first one.
 */
function shutdownOf(parts: WorkerParts): Shutdown {
  let stopped: Promise<never> | null = null;
  const stop = (code: number): Promise<never> =>
    (stopped ??= (async () => {
      const inHand = parts.worker?.jobsInHand ?? 0;
      if (inHand > 0) log(`stopping: finishing ${inHand} job${inHand === 1 ? '' : 's'} in hand (up to ${SHUTDOWN_GRACE_MS / 1000} s)`);
      await parts.worker?.close(SHUTDOWN_GRACE_MS);
      await parts.heartbeat?.stop();
      parts.flow.close();
      await Promise.all(Object.values(parts.handlers).map((h) => h?.close?.()));
      parts.namespaceOutbound.close();
      await parts.outbound.close();
      await parts.pool?.end().catch(() => undefined);
      parts.subscriber.disconnect();
      parts.redis.disconnect();
      process.exit(code);
    })());
  return {
    stop,
    get asked() {
      return stopped !== null;
    },
  };
}

function workerOptions(
  setup: WorkerSetup,
  parts: WorkerParts,
  stores: Pick<WorkerProcessOptions, 'status' | 'cancels'>,
  report: (message: WorkerToMainMessage) => void,
  stop: Shutdown['stop'],
): WorkerProcessOptions {
  const { env, names, kinds, registry, identity } = setup;
  const { handlers } = parts;
  return {
    name: identity.name,
    ...stores,
    logs: new JobLogStore(parts.redis, names),
    amqpUrl: env.AMQP_URL,
    names,
    kinds,
    registry,
    prefetch: env.JOBDECK_WORKER_PREFETCH,
    prefetchByKind: prefetchOf(setup),
    handlers,
    gate: parts.gate,
    unavailableMaxWaitS: env.JOBDECK_UNAVAILABLE_MAX_WAIT_S,
    flow: parts.flow,
    retry: retryPolicyFrom(env),
    report,
    // Run by hand, a worker reconnects by itself; spawned, it exits and its console restarts it
    // (with backoff, and shows the restarts).
    reconnect: !process.send,
    onConnectionLost: (reason, curable) => {
      log(`${reason}; ${curable ? 'exiting to be restarted' : 'exiting'}`);
      void stop(curable ? EXIT_CONNECTION_LOST : 1);
    },
    log,
  };
}

/** SIGINT, SIGTERM, the console's `shutdown` or its going away stop the worker. */
function stopOnAsk(stop: Shutdown['stop']): void {
  // Ctrl-C in a terminal reaches every process of its group: a worker takes it as SIGTERM.
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGINT', () => void stop(0));
  process.on('message', (message) => {
    if (isMainToWorkerMessage(message) && message.type === 'shutdown') void stop(0);
  });
  process.on('disconnect', () => void stop(0));
}

function announceReady({ kinds, names }: WorkerSetup): void {
  for (const kind of kinds) tellConsole({ type: 'ready', kind, pid: process.pid });
  reportStats(tellConsole);
  if (!process.send) log(`consuming ${kinds.map(names.queue).join(', ')}`);
}

/**
 * A worker process. Spawned by the console (`--kind log`), or started by hand on any machine
 * that reaches the same RabbitMQ, Redis, PostgreSQL and mail server:
 * `node out/main/worker.js --kind A,B,C` (every kind when left out) with AMQP_URL, REDIS_URL,
 * DATABASE_URL, SMTP_URL and, for user kinds, JOBDECK_KINDS set.
 */
async function main(): Promise<void> {
  const setup = readSetup();
  const { env, names, kinds, identity } = setup;
  const role = `worker:${kinds.join('+')}:${process.pid}`;
  const redis = openRedis(env.REDIS_URL, names.connectionName(role));
  const status = new JobStatusClient(redis, names, {
    terminalTtlSeconds: env.JOBDECK_STATUS_TTL_S,
    streamMaxLength: env.JOBDECK_EVENT_STREAM_MAX,
    defaultMaxAttempts: env.JOBDECK_MAX_ATTEMPTS,
  });
  const subscriber = redis.duplicate({ connectionName: names.connectionName(`${role}:cancels`), enableAutoPipelining: false });
  subscriber.on('error', () => undefined); // the main connection's watch says it
  const gate = new KindGate();
  const flow = new FlowControl({ redis, subscriber, keys: flowKeysOf(names.namespace), kinds, gate, workerName: identity.name, log });
  const own = { settings: setup.outbound, consoleUrl: env.JOBDECK_CONSOLE_URL ?? null, inboxToken: env.JOBDECK_INBOX_TOKEN ?? null };
  const namespaceOutbound = new NamespaceOutbound(redis, names.consoleOutbound, own, log);
  const outbound = new OutboundClient(namespaceOutbound);
  const parts: WorkerParts = { redis, subscriber, pool: null, handlers: {}, outbound, namespaceOutbound, gate, flow };
  parts.handlers = handlersFor(setup, {
    pool: () => (parts.pool ??= databasePool(env.DATABASE_URL, names.connectionName(role))),
    names,
    smtpUrl: env.SMTP_URL ?? 'smtp://127.0.0.1:2525',
    logPrefetch: env.JOBDECK_LOG_PREFETCH,
    outbound,
  });
  const shutdown = shutdownOf(parts);
  watchRedis(redis, redactUrl(env.REDIS_URL), log, (reason) => {
    log(reason);
    tellConsole({ type: 'fatal', message: reason });
    void shutdown.stop(1);
  });
  const tally = freshTally();
  const cancels = new RunningAttempts();
  const worker = (parts.worker = new WorkerProcess(workerOptions(setup, parts, { status, cancels }, reporter(tally), shutdown.stop)));
  stopOnAsk(shutdown.stop);
  await redis.ping();
  if (shutdown.asked) return; // told to stop while it waited for Redis: no heartbeat to leave behind
  const heartbeats = new WorkerHeartbeats(redis, names);
  parts.heartbeat = startHeartbeat({ heartbeats, beat: () => beatOf(identity, tally, worker.state), log });
  await listenForCancels(subscriber, names.cancelChannel, cancels);
  // Before consuming: no job goes out under a looser policy than the namespace's console runs.
  await namespaceOutbound.start();
  // Before consuming: a paused kind's consumer is never opened.
  await flow.start();
  await worker.start().catch((error: Error) => {
    throw new Error(`RabbitMQ at ${redactUrl(env.AMQP_URL)} failed (${error.message}); check AMQP_URL`);
  });
  if (shutdown.asked) return; // told to stop while it waited for the broker
  announceReady(setup);
}

main().catch((error: Error) => {
  const message = error instanceof ConfigError ? error.message : redactText(`could not start: ${error.message}`);
  console.error(`[worker ${ownName()}] ${message}`);
  if (process.send) process.send({ type: 'fatal', message } satisfies WorkerToMainMessage);
  process.exit(1);
});
