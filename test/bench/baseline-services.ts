/**
 * The hand-written baselines' own corner of the shared services: queue names, Redis keys and a
 * PostgreSQL schema under one bench namespace, and the one effect every stage performs (kind A's
 * INSERT of one log record, unique by job ID, as Jobdeck's table has it).
 */
import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import { Redis } from 'ioredis';
import pg from 'pg';
import { TEST_SERVICES, deleteKeys, testDatabaseConfig } from '../support/namespace';

/** A persistent message of about 300 bytes, shaped like a Jobdeck kind A job. */
export function jobBody(id: string = randomUUID()): Buffer {
  const created = new Date().toISOString();
  return Buffer.from(
    JSON.stringify({
      v: 1,
      uuid: id,
      type: 'A',
      kind: 'log',
      extra_data: { client_time: '2019-09-22T18:38:15.000Z', note: 'bench message padded to about 300 bytes....' },
      created_at: created,
      trace: { source: 'bench', attempt: 1, host: 'localhost', queue: 'bench', sequence: 0 },
    }),
  );
}

export interface BaselineServices {
  namespace: string;
  connection: amqp.ChannelModel;
  redis: Redis;
  pool: pg.Pool;
  /** Queue name of one stage, in the namespace. */
  queue(stage: string): string;
  /** INSERT of one job's log record (the effect of kind A). */
  insertRecord(id: string): Promise<void>;
  close(): Promise<void>;
}

/** Opens the services; `owner` (the bench run, not a stage's helper process) drops the namespace on close. */
export async function openBaselineServices(namespace: string, owner = true): Promise<BaselineServices> {
  const connection = await amqp.connect(TEST_SERVICES.amqpUrl, {
    clientProperties: { connection_name: `${namespace}:bench` },
    noDelay: true,
  });
  const redis = new Redis(TEST_SERVICES.redisUrl);
  const pool = new pg.Pool({ ...testDatabaseConfig(), max: 4 });
  const schema = pg.escapeIdentifier(namespace);
  await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  await pool.query(
    `CREATE TABLE IF NOT EXISTS ${schema}.log_records (job_id uuid PRIMARY KEY, client_time timestamptz NOT NULL,
     received_at timestamptz NOT NULL DEFAULT now())`,
  );
  const queues = new Set<string>();
  return {
    namespace,
    connection,
    redis,
    pool,
    queue: (stage) => {
      const name = `${namespace}.bench.${stage}`;
      queues.add(name);
      return name;
    },
    insertRecord: async (id) => {
      await pool.query(
        `INSERT INTO ${schema}.log_records (job_id, client_time) VALUES ($1, $2) ON CONFLICT (job_id) DO NOTHING`,
        [id, '2019-09-22T18:38:15Z'],
      );
    },
    close: async () => {
      if (!owner) throw new Error('bench: only the owner of the namespace closes it');
      const channel = await connection.createChannel();
      for (const name of queues) await channel.deleteQueue(name).catch(() => undefined);
      await connection.close().catch(() => undefined);
      await deleteKeys(redis, `${namespace}:*`);
      redis.disconnect();
      await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await pool.end();
    },
  };
}

/** Rows in the namespace's log_records table. */
export async function recordCount(pool: pg.Pool, schema: string): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${pg.escapeIdentifier(schema)}.log_records`);
  return Number(rows[0]!.n);
}
