/**
 * `npm run bench [-- --full] [-- --profile tiny] [-- --out <dir>]`: runs the baselines and
 * Jobdeck one after another on the local services, each in a namespace of its own that it
 * drops afterwards, and writes the report (report.json and report.md, in bench/ by default).
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import amqp from 'amqplib';
import { Redis } from 'ioredis';
import pg from 'pg';
import { TEST_SERVICES, testDatabaseConfig, uniqueNamespace } from '../support/namespace';
import { openBaselineServices } from './baseline-services';
import { ensureBuilt, startHeadless, type HeadlessConsole } from './headless-console';
import type { AcceptFigure } from './http-load';
import { PROFILES, type ProfileName } from './profile';
import { ratiosOf, targetsOf, writeReport, type BenchReport } from './report';
import { bullmqBaseline } from './stages/bullmq';
import { brokerFloor, minimalPipeline } from './stages/broker-pipeline';
import { consoleFrames } from './stages/console-frames';
import { jobdeckDelayed } from './stages/delayed';
import { jobdeckAccept, jobdeckDrained, jobdeckEndToEnd, jobdeckMemory, jobdeckSteady } from './stages/jobdeck';
import { minimalHttpHandler } from './stages/minimal-http';
import { searchBench, searchJobs } from './stages/search';
import { jobdeckSoak } from './stages/soak';
import { jobdeckRateLimit, windowSeconds } from './stages/rate-limit';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const PACKAGES = ['amqplib', 'ioredis', 'pg', 'fastify', 'bullmq', 'autocannon', 'playwright-core', 'zod'];

async function versions(): Promise<Record<string, string>> {
  const found: Record<string, string> = { node: process.version };
  const connection = await amqp.connect(TEST_SERVICES.amqpUrl);
  found.rabbitmq = String((connection.connection as unknown as { serverProperties: { version: string } }).serverProperties.version);
  await connection.close();
  const redis = new Redis(TEST_SERVICES.redisUrl);
  found.redis = /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? '?';
  redis.disconnect();
  const client = new pg.Client(testDatabaseConfig());
  await client.connect();
  found.postgresql = (await client.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version;
  await client.end();
  for (const name of PACKAGES) {
    found[name] = (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  }
  return found;
}

/** Runs one stage; its failure is recorded in the report and the run goes on. */
async function stage(stages: Record<string, unknown>, name: string, work: () => Promise<unknown>): Promise<void> {
  if (only && !only.has(name)) return void (stages[name] = { skipped: 'not among --only' });
  const started = performance.now();
  console.log(`[bench] ${name} …`);
  try {
    stages[name] = await work();
  } catch (error) {
    stages[name] = { error: (error as Error).message };
  }
  console.log(`[bench] ${name} (${((performance.now() - started) / 1000).toFixed(1)} s): ${JSON.stringify(stages[name])}`);
}

const ACCEPT_ROUNDS = 2;

/** Submits kind A jobs until the console knows at least `jobs` (its history); returns how many it knows. */
async function withJobsKnown(app: HeadlessConsole, jobs: number): Promise<number> {
  const known = (await jobdeckMemory(app)).jobs_known;
  if (known >= jobs) return known;
  await jobdeckEndToEnd(app, jobs - known);
  return (await jobdeckMemory(app)).jobs_known;
}

/** Adds a round; returns the best so far (most requests per second) with every round beside it. */
function bestOf(rounds: AcceptFigure[], latest: AcceptFigure): AcceptFigure & { rounds: AcceptFigure[] } {
  rounds.push(latest);
  const best = rounds.reduce((a, b) => (b.req_per_s > a.req_per_s ? b : a));
  return { ...best, rounds: [...rounds] };
}

/** `--only a,b`: run just these stages (to profile one); the others are reported as skipped. */
let only: Set<string> | null = null;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      full: { type: 'boolean', default: false },
      profile: { type: 'string' },
      out: { type: 'string' },
      only: { type: 'string' },
    },
  });
  if (values.only) only = new Set(values.only.split(','));
  const profileName = (values.profile ?? (values.full ? 'full' : 'quick')) as ProfileName;
  const profile = PROFILES[profileName];
  if (!profile) throw new Error(`--profile ${profileName}: must be one of ${Object.keys(PROFILES).join(', ')}`);
  const outDir = resolve(values.out ?? join(ROOT, 'bench'));
  const startedAt = new Date().toISOString();
  const stages: Record<string, unknown> = {};

  // Alone in a namespace of its own, before anything else loads the machine.
  await stage(stages, 'jobdeck_search', () => searchBench(searchJobs(profile.searchJobs)));
  const baselines = await openBaselineServices(uniqueNamespace('jdbench'));
  try {
    await stage(stages, 'broker_floor', () => brokerFloor(baselines, profile.baselineJobs));
    await stage(stages, 'minimal_pipeline', () => minimalPipeline(baselines, profile.baselineJobs));
    await stage(stages, 'bullmq', () => bullmqBaseline(baselines, profile.baselineJobs));
    await ensureBuilt(ROOT);
  } catch (error) {
    await baselines.close();
    throw error;
  }
  const app = await startHeadless(ROOT, uniqueNamespace('jdbench')).catch(async (error: unknown) => {
    await baselines.close();
    throw error;
  });
  try {
    // The two accept stages alternate, so a burst of load from elsewhere on a shared machine
    // does not fall on one of them only; each reports its best round and every round.
    const rounds = { minimal_http: [] as AcceptFigure[], jobdeck_accept: [] as AcceptFigure[] };
    try {
      for (let round = 0; round < ACCEPT_ROUNDS; round++) {
        await stage(stages, 'minimal_http', async () =>
          bestOf(rounds.minimal_http, await minimalHttpHandler(baselines, profile.acceptSeconds, profile.acceptConnections)),
        );
        await stage(stages, 'jobdeck_accept', async () =>
          bestOf(rounds.jobdeck_accept, await jobdeckAccept(app.url, profile.acceptSeconds, profile.acceptConnections)),
        );
      }
    } finally {
      await baselines.close();
    }
    // Each starts once the kind A queue is empty: no backlog of an earlier stage is counted.
    await stage(stages, 'jobdeck_end_to_end', async () => {
      await jobdeckDrained(app);
      return jobdeckEndToEnd(app, profile.endToEndJobs);
    });
    await stage(stages, 'jobdeck_steady', async () => {
      await jobdeckDrained(app);
      return jobdeckSteady(app, profile.steadyRatePerSecond, profile.steadySeconds);
    });
    await stage(stages, 'jobdeck_delayed', async () => {
      await jobdeckDrained(app);
      return jobdeckDelayed(app, { jobs: profile.delayedJobs, spreadSeconds: profile.delayedSpreadSeconds, loadPerSecond: profile.delayedLoadPerSecond });
    });
    await stage(stages, 'jobdeck_rate_limit', () => jobdeckRateLimit(app, windowSeconds(profile.rateLimitSeconds)));
    await stage(stages, 'jobdeck_console', () =>
      consoleFrames(app, profile.consoleJobs, profile.consoleEventsPerSecond, profile.consoleSeconds, async () =>
        (await jobdeckMemory(app)).jobs_known,
      ),
    );
    await stage(stages, 'jobdeck_memory', async () => {
      await withJobsKnown(app, profile.knownJobs);
      return jobdeckMemory(app);
    });
    // Last, with the jobs of the memory stage known (run alone, it submits them first).
    await stage(stages, 'jobdeck_soak', async () => {
      const known = await withJobsKnown(app, profile.knownJobs);
      await jobdeckDrained(app);
      return jobdeckSoak(app, { ratePerSecond: profile.soakRatePerSecond, seconds: profile.soakSeconds, sampleSeconds: profile.soakSampleSeconds }, known);
    });
  } finally {
    await app.stop();
  }

  const ratios = ratiosOf(stages);
  const report: BenchReport = {
    started_at: startedAt,
    profile,
    machine: { cpus: availableParallelism(), platform: `${process.platform} ${process.arch}` },
    versions: await versions(),
    stages,
    ratios,
    targets: targetsOf(stages, ratios),
  };
  const paths = writeReport(outDir, report);
  for (const t of report.targets) console.log(`[bench] ${t.pass ? 'PASS' : 'MISS'} ${t.what}: ${t.figure} (${t.target})`);
  console.log(`[bench] report: ${paths.md} and ${paths.json}`);
  const failed = Object.entries(stages).filter(([, v]) => (v as { error?: string }).error);
  if (failed.length) {
    console.error(`[bench] stages that failed: ${failed.map(([name]) => name).join(', ')}`);
    process.exitCode = 1;
  }
}

await main();
