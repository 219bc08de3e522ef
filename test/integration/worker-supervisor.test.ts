import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkerSupervisor } from '../../src-main/supervisor/worker-supervisor';
import { eventually } from '../support/console';

const dirs: string[] = [];
const supervisors: WorkerSupervisor[] = [];

/** A worker entry made of `source`: a real child process that does what the test needs. */
function entryOf(source: string) {
  const dir = mkdtempSync(join(tmpdir(), 'jobdeck-supervisor-'));
  dirs.push(dir);
  const modulePath = join(dir, 'worker.mjs');
  writeFileSync(modulePath, source);
  return { modulePath, execArgv: [] };
}

function supervise(source: string, counts = { log: 1, callback: 0, email: 0 }) {
  const supervisor = new WorkerSupervisor({ entry: entryOf(source), env: {}, counts });
  supervisors.push(supervisor);
  supervisor.start();
  return supervisor;
}

afterEach(async () => {
  await Promise.all(supervisors.splice(0).map((s) => s.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('worker supervisor', () => {
  it('marks a process that keeps dying at start as crash-loop, restarting it with a growing delay', async () => {
    const supervisor = supervise('process.exit(3);');
    const looping = await eventually(
      async () => supervisor.snapshot().find((w) => w.state === 'crash-loop'),
      15_000,
      'a crash-loop state',
    );
    expect(looping.slot).toBe('log-1');
    expect(looping.restarts).toBeGreaterThanOrEqual(3);
  });

  it('reports the memory and the job in hand that the worker tells it', async () => {
    const supervisor = supervise(`
      process.send({ type: 'ready', kind: 'log', pid: process.pid });
      process.send({ type: 'stats', rssBytes: 12345678 });
      process.send({ type: 'job-started', jobId: 'job-1' });
      process.on('message', () => process.exit(0));
      setInterval(() => undefined, 1000);
    `);
    const worker = await eventually(async () => {
      const found = supervisor.snapshot()[0];
      return found?.current_job === 'job-1' && found.memory_rss_bytes !== null ? found : undefined;
    });
    expect(worker).toMatchObject({ state: 'ready', memory_rss_bytes: 12345678, current_job: 'job-1' });
    expect(worker.uptime_ms).toBeGreaterThanOrEqual(0);
  });

  it('scales up and down, and a stopped process stays down until restarted', async () => {
    const source = `
      process.send({ type: 'ready', kind: 'log', pid: process.pid });
      process.on('message', () => process.exit(0));
      setInterval(() => undefined, 1000);
    `;
    const supervisor = supervise(source);
    await eventually(async () => ((await supervisor.whenReady(100)) ? true : undefined));
    supervisor.scale('log', 3);
    expect(supervisor.report().counts.log).toBe(3);
    await eventually(async () => (supervisor.snapshot().filter((w) => w.state === 'ready').length === 3 ? true : undefined));
    expect(supervisor.snapshot().map((w) => w.slot)).toEqual(['log-1', 'log-2', 'log-3']);

    supervisor.scale('log', 1);
    await eventually(async () => (supervisor.snapshot().length === 1 ? true : undefined));
    expect(supervisor.snapshot()[0]!.slot).toBe('log-1');

    await supervisor.stopWorker('log-1');
    expect(supervisor.snapshot()[0]).toMatchObject({ state: 'stopped', uptime_ms: 0 });
    // Longer than the first restart delay (500 ms): a crashed process would be back by now.
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(supervisor.snapshot()[0]!.state).toBe('stopped');

    await supervisor.restart('log-1');
    await eventually(async () => (supervisor.snapshot()[0]?.state === 'ready' ? true : undefined));
    await expect(supervisor.restart('log-9')).rejects.toThrow('no worker log-9');
  });
});
