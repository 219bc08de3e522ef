import pg from 'pg';
import { expect } from 'vitest';
import type { Job } from '../../src-shared/job';
import type { JobKind } from '../../src-shared/kinds';
import { startTestConsole, type TestConsole } from './console';
import type { EffectCounts } from './effect-sinks';
import { drain, historyCatchUp, readEffects } from './fault-run';
import { Ledger, type LedgerVerdict } from './ledger';
import { TEST_SERVICES, testDatabaseConfig } from './namespace';
import { StandaloneWorker } from './standalone-worker';
import { TcpProxy } from './tcp-proxy';

/** What a worker scenario ends with: the ledger's verdict and what did not end as it should. */
export interface ScenarioReport {
  verdict: LedgerVerdict;
  /** Jobs not DONE by the drain deadline. */
  notDone: { id: string; status: string }[];
  /** Jobs the history does not show DONE. */
  historyBehind: number;
  /** Jobs whose history row lacks transitions the job went through. */
  historyCut: string[];
  jobs: Job[];
}

export function endpoint(url: string, defaultPort: number): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port || defaultPort) };
}

/**
 * A console that runs no workers (it takes jobs and records the history) and standalone worker
 * processes the scenario starts, each through proxies of its own where the scenario wants to cut
 * it off; effects are counted by the scenario's sinks and checked against the ledger.
 */
export class WorkerScenario {
  readonly ledger = new Ledger();
  readonly workers: StandaloneWorker[] = [];
  private readonly proxies: TcpProxy[] = [];

  private constructor(
    readonly app: TestConsole,
    private readonly db: pg.Client,
    private readonly retryEnv: Record<string, string>,
  ) {}

  static async start(retryEnv: Record<string, string> = {}): Promise<WorkerScenario> {
    const app = await startTestConsole({ JOBDECK_WORKERS: 'A=0,B=0,C=0', ...retryEnv }, false);
    const db = new pg.Client(testDatabaseConfig());
    await db.connect();
    return new WorkerScenario(app, db, retryEnv);
  }

  /** A proxy to RabbitMQ or Redis that the scenario owns (closed with the scenario). */
  async proxy(service: 'amqp' | 'redis'): Promise<TcpProxy> {
    const proxy =
      service === 'amqp' ? new TcpProxy(endpoint(TEST_SERVICES.amqpUrl, 5672)) : new TcpProxy(endpoint(TEST_SERVICES.redisUrl, 6379));
    await proxy.listen();
    this.proxies.push(proxy);
    return proxy;
  }

  /** Starts a standalone worker of `kinds` in the console's namespace; `via` routes its connections. */
  async worker(kinds: string, env: Record<string, string>, via: { amqp?: TcpProxy; redis?: TcpProxy } = {}): Promise<StandaloneWorker> {
    const worker = new StandaloneWorker(kinds, {
      AMQP_URL: via.amqp ? via.amqp.urlFor(TEST_SERVICES.amqpUrl) : TEST_SERVICES.amqpUrl,
      REDIS_URL: via.redis ? via.redis.urlFor(TEST_SERVICES.redisUrl) : TEST_SERVICES.redisUrl,
      DATABASE_URL: TEST_SERVICES.databaseUrl,
      JOBDECK_NAMESPACE: this.app.namespace,
      ...this.retryEnv,
      ...env,
    });
    this.workers.push(worker);
    await worker.line(/consuming/);
    return worker;
  }

  async submit(kind: JobKind, payload: Record<string, unknown>): Promise<string> {
    const response = await fetch(`${this.app.url}/api/v1/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind, payload }),
    });
    const body = (await response.json()) as Job;
    if (response.status !== 202) throw new Error(`submit answered ${response.status}: ${JSON.stringify(body)}`);
    this.ledger.accept(body.id, kind);
    return body.id;
  }

  async job(id: string): Promise<Job> {
    return (await (await fetch(`${this.app.url}/api/v1/jobs/${id}`)).json()) as Job;
  }

  /** Waits for every accepted job to end, then checks effects and the history against the ledger. */
  async report(effects: Partial<Record<JobKind, EffectCounts>>, drainMs = 30_000): Promise<ScenarioReport> {
    const ids = this.ledger.ids;
    const notDone = await drain(this.app, this.ledger, drainMs);
    const historyBehind = await historyCatchUp(this.db, this.app.namespace, ids, 15_000);
    const counted = await readEffects(this.db, this.app.namespace, effects.callback ?? new Map(), effects.email ?? new Map());
    const jobs = await Promise.all(ids.map((id) => this.job(id)));
    const { rows } = await this.db.query<{ id: string; transitions: unknown[] }>(
      `SELECT id::text, transitions FROM ${pg.escapeIdentifier(this.app.namespace)}.jobs WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    const recorded = new Map(rows.map((row) => [row.id, row.transitions.length]));
    const historyCut = jobs.filter((job) => (recorded.get(job.id) ?? 0) < job.transitions.length).map((job) => job.id);
    return { verdict: this.ledger.verdict(counted), notDone, historyBehind, historyCut, jobs };
  }

  async close(): Promise<void> {
    for (const proxy of this.proxies) proxy.heal();
    await Promise.all(this.workers.map((worker) => worker.stop()));
    for (const proxy of this.proxies) await proxy.close();
    await this.db.end();
    await this.app.dispose();
  }
}

/** The ledger's promises: nothing lost, no record twice, nothing stuck, the history whole. */
export function expectKept(report: ScenarioReport): void {
  expect(report.notDone).toEqual([]);
  expect(report.verdict.lost).toEqual([]);
  expect(report.verdict.duplicated).toEqual([]);
  expect(report.verdict.unexpected).toEqual([]);
  expect(report.historyBehind).toBe(0);
  expect(report.historyCut).toEqual([]);
}

/** The pid a job's last start names (`<host>/<pid>`). */
export function lastStarter(job: Job): number {
  const started = job.transitions.filter((t) => t.status === 'STARTED').at(-1);
  return Number(started?.worker.split('/').at(-1));
}
