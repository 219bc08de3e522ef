import { Redis } from 'ioredis';
import pg from 'pg';
import type { Job } from '../../src-shared/job';
import type { JobKind } from '../../src-shared/kinds';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { eventually, startTestConsole, type TestConsole } from './console';
import { CallbackReceiver, MailReceiver, type EffectCounts } from './effect-sinks';
import { Ledger, type LedgerVerdict } from './ledger';
import { TEST_SERVICES, testDatabaseConfig } from './namespace';
import { TcpProxy } from './tcp-proxy';

/** The faults a run may inject; each touches only what the test owns. */
export type FaultKind =
  /** SIGKILL one of the console's worker processes (the supervisor restarts it). */
  | 'sigkill-worker'
  /** `rabbitmqctl close_connection` on every connection named after the test's namespace. */
  | 'broker-close'
  /** `CLIENT KILL` of every Redis client named after the test's namespace. */
  | 'redis-kill'
  /** `pg_terminate_backend` of every PostgreSQL backend named after the test's namespace. */
  | 'postgres-terminate'
  /** A network cut between Jobdeck (console and workers) and one service, through the test's proxy. */
  | 'cut-rabbitmq'
  | 'cut-redis'
  | 'cut-postgres'
  /** A partition with no reset: connections stay open and carry nothing, then are severed. */
  | 'stall-rabbitmq'
  | 'stall-redis'
  | 'stall-postgres';

export interface FaultPlan {
  seed: number;
  /** How long jobs are submitted and faults injected. */
  loadMs: number;
  /** Submits per second. */
  ratePerSecond: number;
  faults: FaultKind[];
  /** Mean time between two faults. */
  faultEveryMs: number;
  /** How long a cut lasts (uniform in this range). */
  cutMs: [number, number];
  kinds: JobKind[];
  /** Longest wait for every accepted job to end once the load stops. */
  drainMs: number;
  /** More console settings (`JOBDECK_…`), over the run's own. */
  env?: Record<string, string>;
}

export interface FaultReport {
  verdict: LedgerVerdict;
  refused: number;
  /** Answers other than 202 and 503/429: each is a bug. */
  otherAnswers: string[];
  faults: Record<string, number>;
  /** Accepted jobs that did not end DONE (or at all) within the drain time. */
  notDone: { id: string; status: string }[];
  /** Accepted jobs the PostgreSQL history does not show DONE once they all are. */
  historyBehind: number;
  /** Longest time any submit waited for its answer, and the longest among those made during an outage. */
  longestWaitMs: number;
  longestOutageWaitMs: number;
  /** Refusals during an outage that came without Retry-After. */
  refusedWithoutRetryAfter: number;
}

/** mulberry32: a small seeded generator, so a run's jobs and faults replay from its seed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const SUBMIT_TIMEOUT_MS = 30_000;
/** A kill or a closed connection is an outage for about this long after it. */
const INSTANT_OUTAGE_MS = 2_000;

interface Services {
  amqp: TcpProxy;
  redis: TcpProxy;
  postgres: TcpProxy;
}

function endpoint(url: string, defaultPort: number): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port || defaultPort) };
}

/**
 * One ledger run: a console whose every connection to RabbitMQ, Redis and PostgreSQL goes
 * through proxies the test owns, with kind B posting to the test's receiver and kind C mailing
 * the test's SMTP server. Submits jobs at a steady rate while injecting seeded faults, then heals
 * everything, waits for every accepted job to end, and checks the sinks against the ledger.
 */
export async function runFaultScenario(plan: FaultPlan, log: (line: string) => void = () => undefined): Promise<FaultReport> {
  const random = seeded(plan.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const proxies: Services = {
    amqp: new TcpProxy(endpoint(TEST_SERVICES.amqpUrl, 5672)),
    redis: new TcpProxy(endpoint(TEST_SERVICES.redisUrl, 6379)),
    postgres: new TcpProxy(endpoint(TEST_SERVICES.databaseUrl, 5432)),
  };
  for (const proxy of Object.values(proxies)) await proxy.listen();
  const callbacks = new CallbackReceiver();
  const mail = new MailReceiver();
  const callbackUrl = await callbacks.listen();
  const smtpUrl = await mail.listen();
  const admin = new Redis(TEST_SERVICES.redisUrl, { connectionName: 'fault-test-admin' });
  const db = new pg.Client(testDatabaseConfig());
  await db.connect();
  let app: TestConsole | null = null;
  try {
    app = await startTestConsole({
      AMQP_URL: proxies.amqp.urlFor(TEST_SERVICES.amqpUrl),
      REDIS_URL: proxies.redis.urlFor(TEST_SERVICES.redisUrl),
      DATABASE_URL: proxies.postgres.urlFor(TEST_SERVICES.databaseUrl),
      SMTP_URL: smtpUrl,
      JOBDECK_WORKERS: 'A=2,B=2,C=2',
      JOBDECK_WORKER_PREFETCH: '4',
      // Outages of PostgreSQL and the mail server no longer count against a job's attempts, but a
      // killed worker, a lost connection mid-job and a cut callback still do: the budget must
      // outlast the faults injected here (one every few seconds for the whole run).
      JOBDECK_MAX_ATTEMPTS: '20',
      JOBDECK_RETRY_MAX_MS: '4000',
      ...plan.env,
    });
    if (!(await app.supervisor!.whenReady(60_000))) throw new Error('the workers did not start');
    const running = app;
    const ledger = new Ledger();
    const outages: [number, number][] = [];
    const faults: Record<string, number> = {};
    const otherAnswers: string[] = [];
    const waits: { start: number; end: number }[] = [];
    let refusedWithoutRetryAfter = 0;

    const inject = async (fault: FaultKind): Promise<void> => {
      const at = Date.now();
      let until = at + INSTANT_OUTAGE_MS;
      switch (fault) {
        case 'sigkill-worker': {
          // Right after another fault every worker may be restarting: wait for one to come up.
          const victims = await eventually(
            () => running.supervisor!.snapshot().filter((w) => w.pid && w.state !== 'exited' && w.kinds.some((kind) => plan.kinds.includes(kind))),
            (alive) => alive.length > 0,
            30_000,
            'a worker to kill',
          );
          process.kill(pick(victims).pid!, 'SIGKILL');
          break;
        }
        case 'broker-close':
          await closeOwnConnections(`${running.namespace}:`);
          break;
        case 'redis-kill': {
          const clients = (await admin.client('LIST')) as string;
          const ids = clients
            .split('\n')
            .filter((line) => line.includes(` name=${running.namespace}:`))
            .map((line) => /^id=(\d+)/.exec(line)?.[1])
            .filter((id): id is string => id !== undefined);
          for (const id of ids) await admin.client('KILL', 'ID', id).catch(() => undefined);
          break;
        }
        case 'postgres-terminate':
          await db.query(
            `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE $1`,
            [`${running.namespace}:%`],
          );
          break;
        case 'cut-rabbitmq':
        case 'cut-redis':
        case 'cut-postgres':
        case 'stall-rabbitmq':
        case 'stall-redis':
        case 'stall-postgres': {
          const [mode, service] = fault.split('-') as ['cut' | 'stall', 'rabbitmq' | 'redis' | 'postgres'];
          const proxy = { rabbitmq: proxies.amqp, redis: proxies.redis, postgres: proxies.postgres }[service];
          const ms = plan.cutMs[0] + random() * (plan.cutMs[1] - plan.cutMs[0]);
          if (mode === 'cut') proxy.cut();
          else proxy.stall();
          await sleep(ms);
          proxy.heal();
          until = Date.now() + INSTANT_OUTAGE_MS;
          break;
        }
      }
      faults[fault] = (faults[fault] ?? 0) + 1;
      outages.push([at, until]);
      log(`fault ${fault} at +${at - startedAt} ms`);
    };

    const submit = async (kind: JobKind, n: number): Promise<void> => {
      const payload =
        kind === 'log'
          ? { client_time: 1_569_177_495 + n }
          : kind === 'callback'
            ? { callback_url: callbackUrl, duration_ms: Math.floor(100 + random() * 1400) }
            : { subject: `fault run job ${n}`, body: 'ledger' };
      const start = Date.now();
      try {
        const response = await fetch(`${running.url}/api/v1/jobs`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ kind, payload }),
          signal: AbortSignal.timeout(SUBMIT_TIMEOUT_MS),
        });
        const body = (await response.json()) as Partial<Job> & { detail?: string };
        if (response.status === 202 && body.id) ledger.accept(body.id, kind);
        else if (response.status === 503 || response.status === 429) {
          ledger.refused++;
          if (!response.headers.get('retry-after')) refusedWithoutRetryAfter++;
        } else otherAnswers.push(`${response.status} ${body.detail ?? ''}`);
      } catch (error) {
        otherAnswers.push(`no answer: ${(error as Error).message}`);
      } finally {
        waits.push({ start, end: Date.now() });
      }
    };

    const startedAt = Date.now();
    const stopAt = startedAt + plan.loadMs;
    const submits: Promise<void>[] = [];
    // Every kind of fault in turn, in an order the seed shuffles each round; the load goes on
    // until the first round is complete, however slow the faults were to inject.
    let firstRoundDone = false;
    const faultLoop = (async () => {
      await sleep(plan.faultEveryMs / 2);
      let round: FaultKind[] = [];
      let injected = 0;
      while (Date.now() < stopAt - plan.cutMs[1] || !firstRoundDone) {
        if (round.length === 0) round = [...plan.faults].sort(() => random() - 0.5);
        const fault = round.shift()!;
        await inject(fault).catch((error: Error) => log(`fault ${fault} failed: ${error.message}`));
        firstRoundDone ||= ++injected >= plan.faults.length;
        await sleep(plan.faultEveryMs * (0.5 + random()));
      }
    })();
    for (let n = 0; Date.now() < stopAt || !firstRoundDone; n++) {
      submits.push(submit(pick(plan.kinds), n));
      await sleep(1000 / plan.ratePerSecond);
    }
    await Promise.all([faultLoop, ...submits]);
    for (const proxy of Object.values(proxies)) proxy.heal();
    log(`load done: ${ledger.ids.length} accepted, ${ledger.refused} refused; draining`);

    const notDone = await drain(running, ledger, plan.drainMs);
    const historyBehind = await historyCatchUp(db, running.namespace, ledger.ids, 30_000);
    const effects = await readEffects(db, running.namespace, callbacks.deliveries, mail.messages);
    const during = (w: { start: number; end: number }) => outages.some(([from, to]) => w.start <= to && w.end >= from);
    return {
      verdict: ledger.verdict(effects),
      refused: ledger.refused,
      otherAnswers,
      faults,
      notDone,
      historyBehind,
      longestWaitMs: Math.max(0, ...waits.map((w) => w.end - w.start)),
      longestOutageWaitMs: Math.max(0, ...waits.filter(during).map((w) => w.end - w.start)),
      refusedWithoutRetryAfter,
    };
  } finally {
    for (const proxy of Object.values(proxies)) proxy.heal();
    await app?.dispose().catch(() => undefined);
    for (const proxy of Object.values(proxies)) await proxy.close();
    await callbacks.close();
    await mail.close();
    admin.disconnect();
    await db.end();
  }
}

const run = promisify(execFile);

/**
 * Has the broker close every connection whose name starts with `prefix`, all at once (as a
 * broker restart would): `rabbitmqctl close_connection` on the test's own connections only.
 */
async function closeOwnConnections(prefix: string): Promise<number> {
  const { stdout } = await run('rabbitmqctl', ['-q', 'list_connections', 'pid', 'client_properties', '--no-table-headers']);
  const pids = stdout
    .split('\n')
    .filter((line) => line.includes(`{"connection_name","${prefix}`))
    .map((line) => line.split('\t')[0]!);
  await Promise.all(pids.map((pid) => run('rabbitmqctl', ['-q', 'close_connection', pid, 'fault test: connection closed'])));
  return pids.length;
}

/** Waits until every accepted job is DONE; returns those that are not by the deadline. */
export async function drain(app: TestConsole, ledger: Ledger, drainMs: number): Promise<{ id: string; status: string }[]> {
  let pending = ledger.ids;
  const statuses = new Map<string, string>();
  await eventually(
    async () => {
      const still: string[] = [];
      for (const id of pending) {
        const response = await fetch(`${app.url}/api/v1/jobs/${id}`);
        const job = response.ok ? ((await response.json()) as Job) : null;
        const status = job
          ? `${job.kind} ${job.status}${job.error ? ` (${job.error})` : ''} after ${job.transitions.map((t) => t.status).join(' → ')}`
          : `HTTP ${response.status}`;
        statuses.set(id, status);
        if (job?.status !== 'DONE') still.push(id);
      }
      pending = still;
      if (pending.length > 0) await sleep(1_000);
      return pending;
    },
    (left) => left.length === 0,
    drainMs,
    'every accepted job to be DONE',
  ).catch(() => undefined);
  return pending.map((id) => ({ id, status: statuses.get(id) ?? 'unknown' }));
}

/** Waits for the history to show every job DONE; returns how many it still does not. */
export async function historyCatchUp(db: pg.Client, namespace: string, ids: string[], waitMs: number): Promise<number> {
  let behind = ids.length;
  await eventually(
    async () => {
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${pg.escapeIdentifier(namespace)}.jobs WHERE id = ANY($1::uuid[]) AND status = 'DONE'`,
        [ids],
      );
      behind = ids.length - rows[0]!.n;
      if (behind > 0) await sleep(500);
      return behind;
    },
    (left) => left === 0,
    waitMs,
    'the history to catch up',
  ).catch(() => undefined);
  return behind;
}

export async function readEffects(db: pg.Client, namespace: string, deliveries: EffectCounts, mails: EffectCounts) {
  const { rows } = await db.query<{ job_id: string; n: number }>(
    `SELECT job_id::text, count(*)::int AS n FROM ${pg.escapeIdentifier(namespace)}.log_records GROUP BY job_id`,
  );
  const logs: EffectCounts = new Map(rows.map((row) => [row.job_id, row.n]));
  return { log: logs, callback: deliveries, email: mails };
}
