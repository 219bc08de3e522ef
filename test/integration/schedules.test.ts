import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src-main/config';
import { startConsole, type RunningConsole } from '../../src-main/console';
import type { Job } from '../../src-shared/job';
import type { Schedule, ScheduleDetail } from '../../src-shared/schedule-schemas';
import { eventually, startTestConsole, testConsoleEnv, type TestConsole } from '../support/console';
import { TEST_SERVICES, dropNamespace, testDatabaseConfig, uniqueNamespace } from '../support/namespace';
import { TcpProxy } from '../support/tcp-proxy';
import { endpoint } from '../support/worker-scenario';

/**
 * Schedules against the real services: each due time fires one run (one claim row, one job)
 * across a console restart and with two consoles on one namespace; the missed policies decide
 * the due times of the gap. No workers: runs stay QUEUED, which is all a schedule promises.
 */

const namespace = uniqueNamespace();
// No start grace: a restart after a few seconds' gap shows the missed policies (the grace itself: firing-plan.test.ts).
const config = loadConfig({ ...testConsoleEnv(namespace), JOBDECK_WORKERS: 'A=0,B=0,C=0', JOBDECK_SCHEDULE_START_GRACE_MS: '0' });
const opened: RunningConsole[] = [];
const logged: string[] = [];
let db: pg.Client;

async function openConsole(): Promise<RunningConsole> {
  const running = await startConsole({ config, workerEntry: null, log: (line) => {
      logged.push(line);
      if (process.env.JOBDECK_TEST_LOG) console.log(`[${namespace}] ${line}`);
    },
  });
  opened.push(running);
  return running;
}

async function closeConsole(running: RunningConsole): Promise<void> {
  await running.close();
  opened.splice(opened.indexOf(running), 1);
}

beforeAll(async () => {
  db = new pg.Client(testDatabaseConfig());
  await db.connect();
});
afterAll(async () => {
  for (const running of [...opened]) await running.close();
  await db?.end();
  await dropNamespace(namespace);
}, 30_000);

const call = (app: RunningConsole, method: string, path: string, body?: unknown) =>
  fetch(`${app.url}${path}`, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });

async function create(app: RunningConsole, body: Record<string, unknown>): Promise<Schedule> {
  const response = await call(app, 'POST', '/api/v1/schedules', { kind: 'email', payload: { subject: 'scheduled' }, ...body });
  expect(response.status).toBe(201);
  const schedule = (await response.json()) as Schedule;
  expect(response.headers.get('location')).toBe(`/api/v1/schedules/${schedule.id}`);
  return schedule;
}

/** Every claimed due time of a schedule, oldest first, as ms. */
async function dueTimes(id: string): Promise<number[]> {
  const { rows } = await db.query<{ due_at: Date }>(`SELECT due_at FROM "${namespace}".schedule_runs WHERE schedule_id = $1 AND NOT triggered ORDER BY due_at`, [id]);
  return rows.map((row) => row.due_at.getTime());
}

/** The jobs of a schedule in Redis (each run's job is written there on submit). */
async function jobsOf(app: RunningConsole, runs: { job_id: string }[]): Promise<(Job | null)[]> {
  return Promise.all(runs.map((run) => app.jobs.get(run.job_id)));
}

/** Each run has its own job, submitted once, carrying the schedule's ID. */
async function expectOneJobPerRun(app: RunningConsole, id: string): Promise<number> {
  const { rows } = await db.query<{ job_id: string; submitted_at: Date | null }>(`SELECT job_id, submitted_at FROM "${namespace}".schedule_runs WHERE schedule_id = $1`, [id]);
  expect(rows.every((row) => row.submitted_at !== null)).toBe(true);
  expect(new Set(rows.map((row) => row.job_id)).size).toBe(rows.length);
  const jobs = await jobsOf(app, rows);
  for (const job of jobs) expect(job).toMatchObject({ schedule_id: id, status: 'QUEUED', kind: 'email' });
  // No console submitted a job of its own besides the claimed ones: the history holds exactly these.
  const search = `${app.url}/api/v1/jobs?limit=500&q=${encodeURIComponent(`schedule:${id}`)}`;
  const listed = await eventually(async () => ((await (await fetch(search)).json()) as { items: Job[] }).items, (items) => items.length >= rows.length, 10_000, 'the runs in the history');
  expect(listed.map((job) => job.id).sort()).toEqual(rows.map((row) => row.job_id).sort());
  return rows.length;
}

/** Due times one second apart, none left out, none twice. */
function expectEverySecond(times: number[]): void {
  for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBe(1000);
}

describe('a schedule across a console restart', () => {
  it.each(['skip', 'run_once'] as const)('missed %s: each due time fires once; the gap fires as the policy says', async (missed) => {
    let app = await openConsole();
    const schedule = await create(app, { cron: '* * * * * *', missed });
    await eventually(() => dueTimes(schedule.id), (times) => times.length >= 3, 10_000, 'three runs');
    await closeConsole(app);
    const before = await dueTimes(schedule.id);
    expectEverySecond(before);
    // 4 s at least from the last run to the start: four due times missed whatever the close and start take.
    await sleep(4_000);
    app = await openConsole();
    await eventually(() => dueTimes(schedule.id), (times) => times.length >= before.length + 3, 10_000, 'three runs after the restart');
    await closeConsole(app);
    // The restarted console says which due times passed while nothing ran.
    const said = logged.map((line) => line.match(new RegExp(`schedule ${schedule.id} missed its due times from (\\S+) to (\\S+) while`))).find(Boolean);
    expect(said).toBeTruthy();
    const [first, last] = [Date.parse(said![1]!), Date.parse(said![2]!)];
    expect(first).toBe(before.at(-1)! + 1000);
    expect(last - first).toBeGreaterThanOrEqual(3000);
    const after = (await dueTimes(schedule.id)).slice(before.length);
    const inGap = after.filter((t) => t <= last);
    // skip: none of them ran; run_once: one run for them all, at the latest.
    expect(inGap).toEqual(missed === 'skip' ? [] : [last]);
    expect(after.find((t) => t > last)).toBe(last + 1000);
    expectEverySecond(after);
    app = await openConsole();
    expect(await expectOneJobPerRun(app, schedule.id)).toBe(before.length + after.length);
    await call(app, 'DELETE', `/api/v1/schedules/${schedule.id}`);
    await closeConsole(app);
  }, 60_000);
});

describe('two consoles on one namespace', () => {
  it('fire each due time once; one going away leaves the other firing on time', async () => {
    const [first, second] = [await openConsole(), await openConsole()];
    const schedule = await create(first, { cron: '* * * * * *' });
    // The second console hears of it by NOTIFY (else only at its next re-read, 30 s on); from then on both race for every due time.
    await eventually(() => dueTimes(schedule.id), (times) => times.length >= 4, 15_000, 'four runs');
    await closeConsole(first);
    const closedAt = Date.now();
    await eventually(() => dueTimes(schedule.id), (times) => times.filter((t) => t > closedAt).length >= 3, 8_000, 'three runs by the second console alone');
    await call(second, 'POST', `/api/v1/schedules/${schedule.id}/pause`);
    const times = await dueTimes(schedule.id);
    expectEverySecond(times);
    expect(await expectOneJobPerRun(second, schedule.id)).toBe(times.length);
    await closeConsole(second);
  }, 60_000);

  it('a schedule made on one console is fired by another within the second (NOTIFY)', async () => {
    const [first, second] = [await openConsole(), await openConsole()];
    const schedule = await create(first, { cron: '* * * * * *' });
    await call(first, 'POST', `/api/v1/schedules/${schedule.id}/pause`);
    await closeConsole(first);
    const before = (await dueTimes(schedule.id)).length;
    // Resumed on the database alone (as a console elsewhere would), the NOTIFY its store sends wakes the second.
    await db.query(`UPDATE "${namespace}".schedules SET paused = false, fired_through = now() WHERE id = $1`, [schedule.id]);
    await db.query('SELECT pg_notify($1, $2)', [`jobdeck_schedules:${namespace}`, schedule.id]);
    await eventually(() => dueTimes(schedule.id), (times) => times.length >= before + 2, 4_000, 'runs fired by the second console');
    await call(second, 'DELETE', `/api/v1/schedules/${schedule.id}`);
    await closeConsole(second);
  }, 60_000);
});

describe('the schedule routes', () => {
  let app: RunningConsole;
  beforeAll(async () => {
    app = await openConsole();
  }, 30_000);
  afterAll(async () => {
    await closeConsole(app);
  });

  it('show the next five due times; pause stops the runs, trigger submits one, resume fires again', async () => {
    const schedule = await create(app, { cron: '*/2 * * * * *', time_zone: 'Europe/Berlin', kind: 'C' });
    expect(schedule).toMatchObject({ kind: 'email', type: 'C', cron_in_words: 'Every 2 seconds', time_zone: 'Europe/Berlin', missed: 'skip', paused: false });
    const detail = (await (await call(app, 'GET', `/api/v1/schedules/${schedule.id}`)).json()) as ScheduleDetail;
    expect(detail.next_runs).toHaveLength(5);
    const next = detail.next_runs.map((at) => Date.parse(at));
    for (let i = 1; i < 5; i++) expect(next[i]! - next[i - 1]!).toBe(2000);

    await eventually(() => dueTimes(schedule.id), (times) => times.length >= 1, 10_000, 'a run');
    const paused = (await (await call(app, 'POST', `/api/v1/schedules/${schedule.id}/pause`)).json()) as Schedule;
    expect(paused).toMatchObject({ paused: true, next_run_at: null });
    const atPause = (await dueTimes(schedule.id)).length;
    await sleep(4_500);
    expect((await dueTimes(schedule.id)).length).toBe(atPause);

    const triggered = await call(app, 'POST', `/api/v1/schedules/${schedule.id}/trigger`);
    expect(triggered.status).toBe(202);
    const job = (await triggered.json()) as Job;
    expect(job).toMatchObject({ status: 'QUEUED', kind: 'email', schedule_id: schedule.id });
    const withRun = (await (await call(app, 'GET', `/api/v1/schedules/${schedule.id}`)).json()) as ScheduleDetail;
    expect(withRun.next_runs).toEqual([]);
    expect(withRun.last_runs[0]).toMatchObject({ job_id: job.id, triggered: true, status: 'QUEUED', error: null });
    expect(withRun.last_job_id).toBe(job.id);

    const resumed = (await (await call(app, 'POST', `/api/v1/schedules/${schedule.id}/resume`)).json()) as Schedule;
    expect(resumed.paused).toBe(false);
    const resumedAt = Date.now();
    const times = await eventually(() => dueTimes(schedule.id), (all) => all.length > atPause, 10_000, 'a run after resume');
    // The due times of the pause were not made up on resume.
    expect(times.slice(atPause).every((t) => t >= resumedAt - 50)).toBe(true);

    // Runs are searchable as schedule:<id>.
    const found = await eventually(async () => {
      const page = (await (await call(app, 'GET', `/api/v1/jobs?q=${encodeURIComponent(`schedule:${schedule.id}`)}`)).json()) as { items: Job[] };
      return page.items;
    }, (items) => items.some((item) => item.id === job.id), 10_000, 'the triggered job in the search');
    expect(found.every((item) => item.schedule_id === schedule.id)).toBe(true);
    expect((await call(app, 'DELETE', `/api/v1/schedules/${schedule.id}`)).status).toBe(204);
    expect((await call(app, 'GET', `/api/v1/schedules/${schedule.id}`)).status).toBe(404);
  }, 60_000);

  it('list, page and patch; a new cron counts from now', async () => {
    const a = await create(app, { cron: '0 0 3 * * *' });
    const b = await create(app, { cron: '0 0 4 * * *', missed: 'run_once' });
    const page = (await (await call(app, 'GET', '/api/v1/schedules?limit=1')).json()) as { items: Schedule[]; next_cursor: string };
    expect(page.items.map((item) => item.id)).toEqual([b.id]);
    const rest = (await (await call(app, 'GET', `/api/v1/schedules?limit=1&cursor=${page.next_cursor}`)).json()) as { items: Schedule[] };
    expect(rest.items.map((item) => item.id)).toEqual([a.id]);
    const patched = await call(app, 'PATCH', `/api/v1/schedules/${a.id}`, { cron: '0 30 2 * * *', time_zone: 'America/New_York' });
    expect(patched.status).toBe(200);
    expect((await patched.json()) as Schedule).toMatchObject({ cron: '0 30 2 * * *', cron_in_words: 'At 02:30', time_zone: 'America/New_York' });
    for (const id of [a.id, b.id]) await call(app, 'DELETE', `/api/v1/schedules/${id}`);
  });

  it('a trigger on a due instant takes a claim of its own: the due time still fires', async () => {
    const schedule = await create(app, { cron: '* * * * * *' });
    await eventually(() => dueTimes(schedule.id), (times) => times.length >= 1, 10_000, 'a run');
    // A trigger claims its own time; made here exactly on a coming due instant (a trigger that landed on one).
    const instant = new Date(Math.ceil(Date.now() / 1000) * 1000 + 2000);
    await db.query(`INSERT INTO "${namespace}".schedule_runs (schedule_id, due_at, job_id, triggered, submitted_at) VALUES ($1, $2, $3, true, now())`, [
      schedule.id,
      instant,
      randomUUID(),
    ]);
    const times = await eventually(() => dueTimes(schedule.id), (all) => all.some((at) => at > instant.getTime()), 10_000, 'the due times past the instant');
    expect(times).toContain(instant.getTime());
    expectEverySecond(times);
    await call(app, 'DELETE', `/api/v1/schedules/${schedule.id}`);
  }, 30_000);

  it('a claim whose console died before submitting is finished with its job ID, once', async () => {
    const schedule = await create(app, { cron: '0 0 3 1 1 *' });
    const jobId = '7b0c3f3e-2c35-4c7e-9d7b-4a4a4a4a4a4a';
    await db.query(`INSERT INTO "${namespace}".schedule_runs (schedule_id, due_at, job_id, claimed_at) VALUES ($1, $2, $3, now() - interval '1 minute')`, [
      schedule.id,
      new Date('2026-01-01T03:00:00Z'),
      jobId,
    ]);
    // Any change wakes every scheduler of the namespace; the pass finishes stale claims first.
    await call(app, 'PATCH', `/api/v1/schedules/${schedule.id}`, { missed: 'run_once' });
    const job = await eventually(() => app.jobs.get(jobId), (found) => found !== null, 10_000, 'the job of the stale claim');
    expect(job).toMatchObject({ schedule_id: schedule.id, status: 'QUEUED' });
    await eventually(() => db.query(`SELECT submitted_at FROM "${namespace}".schedule_runs WHERE job_id = $1`, [jobId]), (r) => r.rows[0]?.submitted_at != null, 5_000);
    await call(app, 'DELETE', `/api/v1/schedules/${schedule.id}`);
  });

  it.each([
    [{ kind: 'email', cron: '61 * * * *' }, 'cron', 'cron'],
    [{ kind: 'email', cron: '* * * *' }, 'cron', 'cron'],
    [{ kind: 'email', cron: '* * * * *', time_zone: 'Mars/Base' }, 'time_zone', 'iana_time_zone'],
    [{ kind: 'email', cron: '* * * * *', missed: 'all' }, 'missed', 'enum'],
    [{ kind: 'Z', cron: '* * * * *' }, 'kind', 'enum'],
    [{ kind: 'email' }, 'cron', 'required'],
    [{ kind: 'email', cron: '* * * * *', payload: { to: 'not an address' } }, 'payload.to', undefined],
    [{ kind: 'email', cron: '* * * * *', every: 2 }, 'every', 'unknown'],
  ])('POST %j → 400 naming %s, nothing created', async (body, field, rule) => {
    const count = async () => (await db.query(`SELECT count(*)::int AS n FROM "${namespace}".schedules`)).rows[0].n as number;
    const existing = await count();
    const response = await call(app, 'POST', '/api/v1/schedules', body);
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { errors: { field: string; rule: string }[] };
    expect(problem.errors).toContainEqual(expect.objectContaining(rule ? { field, rule } : { field }));
    expect(await count()).toBe(existing);
  });

  it('PATCH with a bad cron or zone is a 400 and changes nothing; an unknown schedule is a 404', async () => {
    const schedule = await create(app, { cron: '0 0 3 * * *' });
    const bad = await call(app, 'PATCH', `/api/v1/schedules/${schedule.id}`, { cron: '0 0 25 * * *', missed: 'run_once' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['cron']);
    const zone = await call(app, 'PATCH', `/api/v1/schedules/${schedule.id}`, { time_zone: 'Europe/Nowhere' });
    expect(zone.status).toBe(400);
    const same = (await (await call(app, 'GET', `/api/v1/schedules/${schedule.id}`)).json()) as Schedule;
    expect(same).toMatchObject({ cron: '0 0 3 * * *', time_zone: 'UTC', missed: 'skip' });
    for (const path of ['', '/pause', '/trigger']) {
      expect((await call(app, path ? 'POST' : 'GET', `/api/v1/schedules/00000000-0000-4000-8000-000000000000${path}`)).status).toBe(404);
    }
    expect((await call(app, 'GET', '/api/v1/schedules/not-a-uuid')).status).toBe(404);
    await call(app, 'DELETE', `/api/v1/schedules/${schedule.id}`);
  });
});

describe('a broker outage across due times', () => {
  const rabbitmq = new TcpProxy(endpoint(TEST_SERVICES.amqpUrl, 5672));
  let app: TestConsole;
  beforeAll(async () => {
    await rabbitmq.listen();
    app = await startTestConsole({ JOBDECK_WORKERS: 'A=1,B=0,C=0', AMQP_URL: rabbitmq.urlFor(TEST_SERVICES.amqpUrl) });
  }, 30_000);
  afterAll(async () => {
    rabbitmq.heal();
    await app?.dispose();
    await rabbitmq.close();
  }, 30_000);

  it('the due times that met the outage each get one run, DONE, once the broker is back', async () => {
    const runsOf = async (id: string) =>
      (
        await db.query<{ due_at: Date; job_id: string; submitted_at: Date | null; error: string | null }>(
          `SELECT due_at, job_id, submitted_at, error FROM "${app.namespace}".schedule_runs WHERE schedule_id = $1 AND NOT triggered ORDER BY due_at`,
          [id],
        )
      ).rows;
    const schedule = await create(app, { kind: 'log', payload: { client_time: 1569177495 }, cron: '*/2 * * * * *' });
    await eventually(() => runsOf(schedule.id), (runs) => runs.length >= 1, 10_000, 'a run before the outage');
    rabbitmq.cut();
    const cutAt = Date.now();
    await sleep(4_500);
    rabbitmq.heal();
    const healedAt = Date.now();
    // Every run is submitted and DONE; none was given up as CANCELLED (before: settled on the withdrawn job after 30 s).
    const done = async () => {
      const runs = await runsOf(schedule.id);
      const jobs = await Promise.all(runs.map((run) => app.jobs.get(run.job_id)));
      return { runs, statuses: jobs.map((job) => job?.status ?? null) };
    };
    const settled = await eventually(
      done,
      ({ runs, statuses }) => runs.some((run) => run.due_at.getTime() > healedAt) && runs.every((run) => run.submitted_at !== null) && statuses.every((s) => s === 'DONE' || s === 'CANCELLED'),
      45_000,
      'every run settled after the outage',
    );
    await call(app, 'POST', `/api/v1/schedules/${schedule.id}/pause`);
    const { runs, statuses } = settled;
    const inOutage = runs.filter((run) => run.due_at.getTime() > cutAt && run.due_at.getTime() < healedAt);
    expect(inOutage.length).toBeGreaterThanOrEqual(2);
    expect(runs.map((run) => run.error)).toEqual(runs.map(() => null));
    expect(statuses).toEqual(runs.map(() => 'DONE'));
    const times = runs.map((run) => run.due_at.getTime());
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBe(2000);
    // Exactly one DONE job per due time: the withdrawn attempts are CANCELLED "not accepted", never run.
    const search = `${app.url}/api/v1/jobs?limit=500&q=${encodeURIComponent(`schedule:${schedule.id}`)}`;
    const listed = await eventually(async () => ((await (await fetch(search)).json()) as { items: Job[] }).items, (items) => items.filter((job) => job.status === 'DONE').length >= runs.length, 10_000, 'the runs in the history');
    expect(listed.filter((job) => job.status === 'DONE').map((job) => job.id).sort()).toEqual(runs.map((run) => run.job_id).sort());
    for (const job of listed.filter((job) => job.status !== 'DONE')) expect(job).toMatchObject({ status: 'CANCELLED', error: expect.stringMatching(/^not accepted: /) });
  }, 90_000);
});
