import { WorkerHeartbeats } from '../../src-shared/node/worker-heartbeats';
import { OutboundClient } from '../../src-shared/node/outbound-fetch';
import { OutboundPolicy } from '../../src-shared/node/outbound-policy';
import { redactUrl } from '../../src-shared/redact';
import { retryLadder } from '../../src-shared/retry-policy';
import { namesFor, type Names } from '../../src-shared/topology';
import { JobPublisher } from '../broker/job-publisher';
import { KnownKinds } from '../broker/known-kinds';
import { QueueInspector } from '../broker/queue-inspector';
import { FlowStore } from '../flow/flow-store';
import { flowKeysOf } from '../../src-shared/flow';
import type { ConsoleConfig } from '../config';
import { EventOutlets } from '../event-outlets';
import { checkHealth, type HealthReport } from '../health';
import { HistoryRecorder } from '../history/history-recorder';
import { Admission } from '../jobs/admission';
import { IdempotencyStore } from '../jobs/idempotency';
import { JobService, wasNotAccepted } from '../jobs/job-service';
import { CausedDeliveries } from '../webhooks/caused-deliveries';
import { DelayedJobs } from '../jobs/delayed-jobs';
import { DelayPromoter } from '../jobs/delay-promoter';
import { ScheduledJobs } from '../jobs/scheduled-jobs';
import { Closers } from '../lifecycle/closers';
import { OperationFeed, operationPublisher } from '../operations/operation-feed';
import { OperationRunner } from '../operations/operation-runner';
import { OperationService } from '../operations/operation-service';
import { OperationStore } from '../operations/operation-store';
import { DeadLetterDrain } from '../dead-letters/dead-letter-drain';
import { DeadLetterService } from '../dead-letters/dead-letter-service';
import { DeadLetterStore } from '../dead-letters/dead-letter-store';
import { startRetentionLoop } from '../lifecycle/retention-loop';
import { AlertEvaluator } from '../alerts/alert-evaluator';
import { AlertFeed } from '../alerts/alert-feed';
import { RedisLease } from '../alerts/alert-lease';
import { sharedAlertSources, workerExitRecorder } from '../alerts/alert-sources';
import { AlertStore } from '../alerts/alert-store';
import { AuditStore } from '../audit/audit-store';
import { webhookBody } from '../webhooks/delivery-dispatcher';
import { randomUUID } from 'node:crypto';
import { EventRelay, type RelaySource } from '../relay/event-relay';
import type { WorkerEntry } from '../supervisor/worker-supervisor';
import { databaseClient } from '../database/database';
import { ScheduleService } from '../schedules/schedule-service';
import { ScheduleStore } from '../schedules/schedule-store';
import { Scheduler } from '../schedules/scheduler';
import { startMail } from './mail';
import { apiUrl, type RuntimeFacts } from './runtime-facts';
import { step } from './startup-error';
import { openStores, type Stores } from './stores';
import { publishWorkerOutbound, startWorkers, workerHealth } from './workers';

/** What a core needs beyond its settings, and what outlives it across restarts. */
export interface CoreEnv {
  facts: RuntimeFacts;
  /** How to start worker processes; null starts none (they run elsewhere). */
  workerEntry: WorkerEntry | null;
  log: (line: string) => void;
  /** Made by the first core; every later one attaches it to its own connections, so SSE and WebSocket clients stay. */
  relay: EventRelay | null;
  /**
   * The `read` token of this launch (name `workers`) the webhook inbox takes from the workers:
   * spawned ones get it in their environment, those started by hand from the namespace's published
   * outbound settings; the console's own deliveries to its inbox carry it too.
   */
  workersToken: string;
  /**
   * Whether the active profile is read-only now, read at every open: a read-only core only reads
   * (the API, the relay); nothing of it changes the namespace (no workers, scheduler, retention,
   * delay promoter, dead-letter drain, alert evaluator, outlets). Writable without it.
   */
  readOnly?: () => boolean;
}

/** The services the API serves, on one set of connection settings. */
export interface CoreServices {
  stores: Stores;
  publisher: JobPublisher;
  jobs: JobService;
  queues: QueueInspector;
  /** Each kind's pause and limits, which every worker of the namespace follows. */
  flow: FlowStore;
  idempotency: IdempotencyStore;
  /** The heartbeats every worker of the namespace writes. */
  workerBeats: WorkerHeartbeats;
  outlets: EventOutlets;
  /** Bulk operations; their runner starts with the outlets. */
  operations: OperationService;
  operationRunner: OperationRunner;
  /** This console's one subscriber to the operations' states, fanning them out to the SSE streams. */
  operationFeed: OperationFeed;
  /** The dead letters in PostgreSQL; requeue and discard run as bulk operations. */
  deadLetters: DeadLetterService;
  /** Moves every kind's dead-letter queue into PostgreSQL; it starts with the outlets. */
  deadLetterDrain: DeadLetterDrain;
  relay: EventRelay;
  /** Recurring schedules, and the scheduler that fires them (started with the outlets). */
  schedules: ScheduleService;
  scheduler: Scheduler;
  /** Alert rules, the console's subscriber to their fires and resolves, and the evaluator (it starts with the outlets). */
  alerts: { store: AlertStore; feed: AlertFeed; evaluator: AlertEvaluator };
  /** This core's connections for the relay, attached once the API listens. */
  relaySource: RelaySource;
  /** The outbound URL policy, and the connections of the webhook deliveries made through it. */
  outbound: OutboundClient;
  /** The audit trail in PostgreSQL (the console's recorder writes to the serving core's). */
  audit: AuditStore;
}

export interface Core extends CoreServices {
  /**
   * Stops every part in reverse order; calling it again does nothing. `between` runs after the
   * parts that do work (workers, mail, outlets, readers) stopped and before the stores and the
   * broker close: where the API stops or drains, so no request meets a closed store.
   */
  close(between?: () => Promise<void>): Promise<void>;
}

/**
 * Opens the core on `config`, in order: stores → broker → `listen` (the API takes its port,
 * on first start only, before anything shared such as a consumer group is touched) → outlets →
 * mail → workers. On failure, closes what it opened and throws.
 */
export async function openCore(config: ConsoleConfig, env: CoreEnv, listen?: (services: CoreServices) => Promise<void>): Promise<Core> {
  const { facts, log } = env;
  const names = namesFor(config.namespace);
  const base = new Closers(log);
  const work = new Closers(log);
  let closing: Promise<void> | null = null;
  const close = (between?: () => Promise<void>): Promise<void> =>
    (closing ??= work
      .close()
      .then(between)
      .then(() => base.close()));
  try {
    const stores = await openStores(config, names, base, log);
    const publisher = await connectBroker(config, names, base, log);
    const known = new KnownKinds(stores.redis, names, config.kinds);
    sayRemovedKinds(await known.remember(), names, log);
    const services = buildServices(config, names, stores, publisher, env, known);
    base.add('outbound connections', () => services.outbound.close());
    await listen?.(services);
    if (env.readOnly?.()) await openReadOnly(config, services, work, env);
    else await startWork(config, names, services, work, env);
    facts.config = config;
    return { ...services, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** A read-only core's only work: the relay, so the window shows the namespace live while nothing of this console changes it. */
async function openReadOnly(config: ConsoleConfig, services: CoreServices, work: Closers, env: CoreEnv): Promise<void> {
  // The console's own mail sink still answers (health, Settings); no worker of this console sends to it.
  env.facts.mail = await startMail(config, services.stores.mailbox, work, env.log);
  await services.relay.attach(services.relaySource);
  work.add('event relay', () => services.relay.detach());
  work.add('bulk operation feed', () => services.operationFeed.close());
  work.add('alert feed', () => services.alerts.feed.close());
  env.facts.supervisor = null;
  // No worker of this console to wait for: health says ok (not "starting") once the dependencies are up.
  env.facts.workersReadyOnce = true;
  env.log('read-only profile: no workers, scheduler, retention, delay promoter, dead-letter drain, alert evaluator or event outlets run until it is unlocked');
}

/** The work of a writable core: outlets, mail, retention, scheduler, workers. */
async function startWork(config: ConsoleConfig, names: Names, services: CoreServices, work: Closers, env: CoreEnv): Promise<void> {
  const { facts, log } = env;
  const { stores } = services;
  await publishWorkerOutbound(config, stores.redis, names, { consoleUrl: apiUrl(facts), inboxToken: env.workersToken });
  await startOutlets(config, names, services, work, log);
  facts.mail = await startMail(config, stores.mailbox, work, log);
  work.add('retention loop', startRetention(config, services, log));
  await services.scheduler.start();
  work.add('scheduler', () => services.scheduler.close());
  if (env.workerEntry) {
    // An operator's scale holds until the console restarts: a core reopened in place on the same counts keeps it.
    const scaled = sameCounts(facts.config.workers, config.workers) ? facts.supervisor?.report().counts : undefined;
    const targets = { smtpUrl: facts.mail.url, consoleUrl: apiUrl(facts), inboxToken: env.workersToken };
    const supervisor = startWorkers(config, env.workerEntry, targets, log, scaled, workerExitRecorder(services.stores.redis, names, log));
    work.add('worker processes', () => supervisor.close());
    facts.supervisor = supervisor;
  }
}

/** Whether two settings name the same worker counts (another connection profile may name others). */
function sameCounts(a: Record<string, number>, b: Record<string, number>): boolean {
  const kinds = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...kinds].every((kind) => a[kind] === b[kind]);
}

async function connectBroker(config: ConsoleConfig, names: Names, closers: Closers, log: (line: string) => void): Promise<JobPublisher> {
  const publisher = new JobPublisher({ url: config.amqpUrl, names, kinds: config.kinds.names, retryLadderMs: retryLadder(config.retry), onLog: log });
  await step(`RabbitMQ at ${redactUrl(config.amqpUrl)}`, 'AMQP_URL', () => publisher.start());
  closers.add('job publisher', () => publisher.close());
  return publisher;
}

/** One line per kind the namespace ran that the kinds file no longer names. */
function sayRemovedKinds(removed: readonly string[], names: Names, log: (line: string) => void): void {
  for (const kind of removed) {
    log(`kind ${kind} is no longer in the kinds file: its jobs stay readable, new submits are refused, and its queue ${names.queue(kind)} is left alone`);
  }
}

function buildServices(config: ConsoleConfig, names: Names, stores: Stores, publisher: JobPublisher, env: CoreEnv, known: KnownKinds): CoreServices {
  const { facts, log } = env;
  // The console's own address is read when a URL is judged: the API takes its port after this.
  const policy = new OutboundPolicy(config.outbound, () => apiUrl(facts));
  const outbound = new OutboundClient({ policy: () => policy, inboxToken: () => env.workersToken });
  const jobs = new JobService({
    status: stores.status,
    publisher,
    history: stores.history,
    logs: stores.logs,
    deliveries: new CausedDeliveries(stores.pool, names.schema),
    kinds: config.kinds,
    maxAttempts: config.retry.maxAttempts,
    admission: new Admission({ depths: publisher, maxQueued: config.maxQueuedPerKind }),
    delayed: new DelayedJobs(stores.status, publisher, new ScheduledJobs(stores.pool, names.schema)),
    defaults: {
      callbackUrl: (id) => `${apiUrl(facts)}/api/v1/inbox/jobs/${id}`,
      recipient: config.defaultRecipient,
    },
    outbound: outbound.policy,
  });
  const relaySource = { redis: stores.connections.duplicate(stores.redis, 'relay', { longCommands: true }), reader: stores.redis, stream: names.eventStream };
  env.relay ??= new EventRelay({ ...relaySource, onLog: log });
  const outlets = new EventOutlets({
    pool: stores.pool,
    redis: stores.redis,
    connections: stores.connections,
    names,
    jobs,
    status: stores.status,
    amqpUrl: config.amqpUrl,
    streamMaxLength: config.eventStreamMaxLength,
    outbound,
    log,
  });
  const flow = new FlowStore(stores.redis, flowKeysOf(names.namespace));
  const queues = new QueueInspector({ url: config.amqpUrl, names, status: stores.status, kinds: config.kinds, retryLadderMs: retryLadder(config.retry), known, flow });
  const idempotency = new IdempotencyStore(stores.redis, names.idempotencyKey);
  const workerBeats = new WorkerHeartbeats(stores.redis, names);
  const operationStore = new OperationStore(stores.pool, names.schema);
  const deadLetterStore = new DeadLetterStore(stores.pool, names.schema);
  const operationRunner: OperationRunner = new OperationRunner({
    store: operationStore,
    verbs: {
      retry: (id) => jobs.retry(id),
      cancel: (id) => jobs.cancel(id),
      requeue: (id) => deadLetters.requeue(id),
      discard: (id) => deadLetters.discard(id),
    },
    onLog: log,
    publish: operationPublisher(stores.redis, names.operationsChannel, log),
  });
  const deadLetters = new DeadLetterService({ store: deadLetterStore, jobs, kinds: config.kinds, operations: operationStore, runner: operationRunner });
  const deadLetterDrain = new DeadLetterDrain({
    url: config.amqpUrl,
    names,
    kinds: async () => [...config.kinds.names, ...(await known.removed().catch(() => []))],
    store: deadLetterStore,
    onLog: log,
  });
  const operations = new OperationService(operationStore, operationRunner);
  const subscriber = stores.connections.duplicate(stores.redis, 'operations');
  const operationFeed = new OperationFeed(subscriber, names.operationsChannel, (id) => operationStore.get(id));
  const { schedules, scheduler } = buildSchedules(config, names, stores, jobs, log);
  const base = {
    ...{ stores, publisher, jobs, queues, flow, idempotency, workerBeats, outlets, operations, operationRunner, operationFeed },
    ...{ deadLetters, deadLetterDrain, schedules, scheduler, relay: env.relay, relaySource, outbound },
    audit: new AuditStore(stores.pool, names.schema),
  };
  return { ...base, alerts: buildAlerts(config, names, base, env) };
}

/** The schedules' service and this console's scheduler, which the service wakes on every change. */
function buildSchedules(config: ConsoleConfig, names: Names, stores: Stores, jobs: JobService, log: (line: string) => void) {
  const store = new ScheduleStore(stores.pool, names.schema);
  const scheduler = new Scheduler({
    store,
    submit: (kind, payload, { id, scheduleId }) => jobs.submit(kind, payload, 'payload', { id, origin: { schedule_id: scheduleId } }),
    jobOutcome: async (id) => {
      const job = await jobs.get(id);
      return job === null ? 'missing' : wasNotAccepted(job) ? 'not_accepted' : 'submitted';
    },
    startGraceMs: config.scheduleStartGraceMs,
    listener: () => databaseClient({ url: config.databaseUrl, applicationName: names.connectionName('schedules') }),
    log,
  });
  return { schedules: new ScheduleService(store, jobs, () => scheduler.wake()), scheduler };
}

/** The alert rules' store, this console's feed of their notices, and the evaluator that runs while it holds the lease. */
function buildAlerts(config: ConsoleConfig, names: Names, services: Omit<CoreServices, 'alerts'>, env: CoreEnv): CoreServices['alerts'] {
  const { stores, outlets } = services;
  const store = new AlertStore(stores.pool, names.schema);
  const feed = new AlertFeed(stores.connections.duplicate(stores.redis, 'alerts'), names.alertsChannel);
  const evaluator = new AlertEvaluator({
    store,
    sources: sharedAlertSources({
      pool: stores.pool,
      redis: stores.redis,
      names,
      queues: () => services.queues.list(),
      dependencies: async () => (await coreHealth(services, env.facts)).dependencies,
    }),
    lease: new RedisLease(stores.redis, names.alertsLease, randomUUID(), Math.max(3 * config.alertEvalMs, 1_000)),
    everyMs: config.alertEvalMs,
    publish: async (notice) => void (await stores.redis.publish(names.alertsChannel, JSON.stringify(notice))),
    deliver: async (rule, notice) => {
      const { store: webhooks, dispatcher } = outlets.webhooks;
      const event_id = `alert:${notice.event.id}:${notice.type}`;
      const body = webhookBody(notice.type, notice);
      await webhooks.addDeliveries([{ subscription_id: null, batch_id: null, event_id, event_type: notice.type, url: rule.webhook_url!, secret: rule.webhook_secret, body }]);
      dispatcher.notify();
    },
    onLog: env.log,
  });
  return { store, feed, evaluator };
}

/** The history recorder, the relay and the event outlets: each reads the event stream. */
async function startOutlets(config: ConsoleConfig, names: Names, services: CoreServices, closers: Closers, log: (line: string) => void): Promise<void> {
  const { stores, relay, outlets } = services;
  const recorder = new HistoryRecorder({
    redis: stores.connections.duplicate(stores.redis, 'history', { longCommands: true }),
    names,
    history: stores.history,
    readJob: (id) => stores.status.read(id),
    logs: stores.logs,
    onLog: log,
  });
  await recorder.start();
  closers.add('history recorder', () => recorder.close());
  await relay.attach(services.relaySource);
  closers.add('event relay', () => relay.detach());
  closers.add('event outlets', () => outlets.close());
  await step(`The events exchange on RabbitMQ at ${redactUrl(config.amqpUrl)}`, 'AMQP_URL', () => outlets.start());
  // Resumes the operations still running (this console's before a restart, or a dead console's).
  services.operationRunner.start();
  const promoter = new DelayPromoter({ delayed: services.jobs.delayed!, pool: stores.pool, onLog: log });
  promoter.start();
  closers.add('delayed job promoter', () => promoter.close());
  closers.add('bulk operation runner', () => services.operationRunner.close());
  closers.add('bulk operation feed', () => services.operationFeed.close());
  closers.add('dead-letter drain', () => services.deadLetterDrain.close());
  await step(`The dead-letter drain on RabbitMQ at ${redactUrl(config.amqpUrl)}`, 'AMQP_URL', () => services.deadLetterDrain.start());
  services.alerts.evaluator.start();
  closers.add('alert evaluator', () => services.alerts.evaluator.close());
  closers.add('alert feed', () => services.alerts.feed.close());
}

/** Prunes the history, bulk operations, mailbox, inbox, webhook deliveries and audit rows to their retention, now and every hour. */
function startRetention(config: ConsoleConfig, services: CoreServices, log: (line: string) => void): () => void {
  const { history, mailbox, inbox } = services.stores;
  return startRetentionLoop(
    [
      { what: 'job history', run: () => history.prune(config.historyRetentionDays) },
      { what: 'bulk operations', run: () => services.operations.prune(config.historyRetentionDays) },
      { what: 'mailbox messages', run: () => mailbox.prune(config.mailboxRetentionDays) },
      { what: 'inbox requests', run: () => inbox.prune(config.inboxRetentionDays) },
      { what: 'schedule runs', run: () => services.schedules.pruneRuns(config.historyRetentionDays) },
      { what: 'webhook deliveries', run: () => services.outlets.webhooks.store.prune(config.inboxRetentionDays) },
      { what: 'audit rows', run: () => services.audit.prune(config.historyRetentionDays) },
    ],
    log,
  );
}

/** The health report of a core: its dependencies, its workers, and whether it has started. */
export function coreHealth(core: Pick<CoreServices, 'publisher' | 'stores' | 'jobs'>, facts: RuntimeFacts): Promise<HealthReport> {
  return checkHealth({
    publisher: core.publisher,
    redis: core.stores.redis,
    pool: core.stores.pool,
    smtp: () => facts.mail,
    workers: () => workerHealth(facts.supervisor, core.jobs.kinds.names),
    started: () => (facts.workersReadyOnce ||= facts.supervisor !== null && facts.supervisor.isReady()),
  });
}
