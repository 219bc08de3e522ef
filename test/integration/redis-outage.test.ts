import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src-shared/job';
import { namesFor } from '../../src-shared/topology';
import { SOURCE_WORKER_ENTRY, eventually, startTestConsole, type TestConsole } from '../support/console';
import { TEST_SERVICES, testDatabaseConfig } from '../support/namespace';

/** A TCP proxy this test owns between one worker and Redis: `cut()` drops it, `restore()` lets it through again. */
class CuttableProxy {
  private readonly sockets = new Set<Socket>();
  private down = false;
  readonly server: Server;

  constructor(target: URL) {
    this.server = createServer((client) => {
      if (this.down) return void client.destroy();
      const upstream = createConnection(Number(target.port || 6379), target.hostname);
      for (const [from, to] of [[client, upstream], [upstream, client]] as const) {
        this.sockets.add(from);
        from.on('error', () => to.destroy());
        from.on('close', () => {
          this.sockets.delete(from);
          to.destroy();
        });
        from.pipe(to);
      }
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  cut(): void {
    this.down = true;
    for (const socket of this.sockets) socket.destroy();
  }

  restore(): void {
    this.down = false;
  }
}

let app: TestConsole;
let proxy: CuttableProxy;
let worker: ChildProcess;

beforeAll(async () => {
  app = await startTestConsole({ JOBDECK_WORKERS: 'A=0,B=0,C=0' });
  proxy = new CuttableProxy(new URL(TEST_SERVICES.redisUrl));
  const port = await proxy.listen();
  worker = spawn(process.execPath, [...SOURCE_WORKER_ENTRY.execArgv, SOURCE_WORKER_ENTRY.modulePath, '--kind', 'A'], {
    env: {
      ...process.env,
      AMQP_URL: TEST_SERVICES.amqpUrl,
      REDIS_URL: `redis://127.0.0.1:${port}`,
      DATABASE_URL: TEST_SERVICES.databaseUrl,
      JOBDECK_NAMESPACE: app.namespace,
    },
    stdio: 'ignore',
  });
});
afterAll(async () => {
  if (worker && worker.exitCode === null) {
    worker.kill('SIGTERM');
    await new Promise((resolve) => worker.once('exit', resolve));
  }
  proxy?.server.close();
  await app?.dispose();
});

const jobOf = async (id: string) => (await (await fetch(`${app.url}/api/v1/jobs/${id}`)).json()) as Job;

describe('a worker that loses Redis', () => {
  it('finishes a job whose effect was done once Redis is back: DONE, one attempt, one record', async () => {
    const table = `"${namesFor(app.namespace).schema}".log_records`;
    const locker = new pg.Client(testDatabaseConfig());
    await locker.connect();
    try {
      // The table's lock holds the worker mid-effect while Redis goes away.
      await locker.query('BEGIN');
      await locker.query(`LOCK TABLE ${table} IN EXCLUSIVE MODE`);
      const answer = await fetch(`${app.url}/api/v1/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'log', payload: { client_time: 1569177495 } }),
      });
      const { id } = (await answer.json()) as Job;
      await eventually(() => jobOf(id), (job) => job.status === 'IN PROGRESS', 20_000, 'IN PROGRESS');
      proxy.cut();
      await locker.query('COMMIT');
      // Long enough for the worker's writes to fail and be tried again (they give up after ~1 s each).
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      expect((await jobOf(id)).status).toBe('IN PROGRESS');
      proxy.restore();

      const done = await eventually(() => jobOf(id), (job) => job.status === 'DONE', 20_000, 'DONE after Redis is back');
      expect(done).toMatchObject({ attempts: 1, attempt_errors: [] });
      expect(done.result).toMatchObject({ inserted: true });
      const { rows } = await locker.query(`SELECT count(*)::int AS n FROM ${table} WHERE job_id = $1`, [id]);
      expect(rows[0].n).toBe(1);
    } finally {
      await locker.end();
    }
  });
});
