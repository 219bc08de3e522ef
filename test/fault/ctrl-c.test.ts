import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import type { Job } from '../../src-shared/job';
import { namesFor } from '../../src-shared/topology';
import { ensureBuilt } from '../bench/headless-console';
import { queuedOrUnacked } from '../support/broker';
import { eventually, testConsoleEnv } from '../support/console';
import { TEST_SERVICES, dropNamespace, uniqueNamespace } from '../support/namespace';

/**
 * Issue 10 #4: Ctrl-C in the terminal of `npm start` is SIGINT to the whole process group. The
 * built console is started as a terminal would (a group of its own) with a job in hand; SIGINT
 * to the group must end the job DONE, once, with the console saying what it waits for.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function readJob(redis: Redis, namespace: string, id: string): Promise<Record<string, string>> {
  return redis.hgetall(namesFor(namespace).jobKey(id));
}

describe('Ctrl-C (SIGINT to the process group)', () => {
  it('lets the console stop its workers in order: the job in hand ends DONE, once', async () => {
    await ensureBuilt(ROOT);
    const namespace = uniqueNamespace();
    const redis = new Redis(TEST_SERVICES.redisUrl);
    const child = spawn(process.execPath, ['out/main/headless.js'], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...testConsoleEnv(namespace, 'A=0,B=1,C=0') },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const url = await eventually(async () => /console \(headless\) at (http:\/\/[^/\s]+)/.exec(output)?.[1], 30_000, 'the console');
      const submitted = await fetch(`${url}/api/v1/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'callback', payload: { duration_ms: 2_500 } }),
      });
      const { id } = (await submitted.json()) as Job;
      await eventually(async () => ((await readJob(redis, namespace, id)).status === '"IN PROGRESS"' ? true : undefined), 20_000, 'IN PROGRESS');

      process.kill(-child.pid!, 'SIGINT');
      expect(await exited).toBe(0);
      expect(output).toMatch(/\[jobdeck\] stopping: waiting for 1 worker to finish 1 job \(up to 10 s\)/);
      const job = await readJob(redis, namespace, id);
      expect(job.status).toBe('"DONE"');
      expect(job.attempts).toBe('1');
      expect((JSON.parse(job.transitions!) as { status: string }[]).filter((t) => t.status === 'STARTED')).toHaveLength(1);
      // Acked: nothing left to run again on the next start.
      expect(await queuedOrUnacked(namesFor(namespace).queue('callback'))).toBe(0);
    } finally {
      if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
      redis.disconnect();
      await dropNamespace(namespace);
    }
  });
});
