import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { CommandHandlerSpec, KindDefinition } from '../../src-shared/kind-definition';
import { STOP_GRACE_MS } from '../../src-worker/handlers/attempt-bounds';
import { PermanentJobError, UnavailableError } from '../../src-worker/handlers/handler';
import { createHandler } from '../../src-worker/handlers/user-handlers';
import { PROGRESS_SETTLE_MS } from '../../src-worker/handlers/user-job';
import { eventually } from '../support/console';
import { isRunning, recordedContext } from '../support/handler-context';

// Real programs (python3 and node) run through the real reaper; PIDs are read from files they write.
const fixture = (name: string): string => fileURLToPath(new URL(`../support/user-handlers/${name}`, import.meta.url));
const PYTHON: CommandHandlerSpec = { command: ['python3', fixture('command.py')], env: { EXTRA: 'from the spec' } };
const NODE: CommandHandlerSpec = { command: [process.execPath, fixture('command.mjs')] };
const folder = mkdtempSync(join(tmpdir(), 'jobdeck-command-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function handlerOf(spec: CommandHandlerSpec, timeoutMs?: number) {
  const definition: KindDefinition = { name: 'word-count', description: '', payload_schema: {}, handler: spec, ...(timeoutMs ? { timeout_ms: timeoutMs } : {}) };
  return createHandler(spec, definition);
}

const failureOf = (run: Promise<unknown>): Promise<Error> =>
  run.then(
    () => {
      throw new Error('the attempt succeeded');
    },
    (error: Error) => error,
  );

/** The command's and its grandchild's PIDs, once the hang mode has written them. */
async function pidsIn(file: string): Promise<number[]> {
  const text = await eventually(async () => (existsSync(file) ? readFileSync(file, 'utf8') : undefined), 10_000, `PIDs in ${file}`);
  return text.split(' ').map(Number);
}

/** The log lines the command printed, without the handler's own `started` and `ended` lines. */
const steps = (logs: string[]): string[] => logs.filter((line) => !/^(started .* as pid \d+|ended by .* after \d+ ms)$/.test(line));

/** The parent's PID, from /proc: the reaper of a command. */
const parentOf = (pid: number): number => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
};

const allGone = (pids: number[], ms: number) => eventually(() => pids.every((pid) => !isRunning(pid)), (gone) => gone, ms, `processes ${pids.join(', ')} gone`);

describe('command handler', () => {
  it('gives a python3 script its job on stdin and JOBDECK_JOB_ID, takes progress, logs and the last result', async () => {
    const recorded = recordedContext('word-count', { mode: 'ok', text: 'a b c d' }, 3);
    const result = await handlerOf(PYTHON).run(recorded.context);
    expect(result).toEqual({ words: 4, attempt: 3, id: recorded.context.job.uuid });
    expect(recorded.progress).toEqual([25, 75]);
    expect(recorded.logs).toEqual([
      expect.stringMatching(/^started python3 as pid \d+$/),
      `env ${recorded.context.job.uuid} from the spec`,
      'not json at all',
      expect.stringMatching(/^ended by exit code 0 after \d+ ms$/),
    ]);
  });

  it('runs a node script the same way: garbage lines are log lines', async () => {
    const recorded = recordedContext('word-count', { mode: 'ok', text: 'hello' });
    await expect(handlerOf(NODE).run(recorded.context)).resolves.toEqual({ length: 5 });
    expect(recorded.progress).toEqual([40]);
    expect(steps(recorded.logs)).toEqual(['{"unterminated": ', 'node got hello']);
  });

  it("keeps Jobdeck's service URLs and settings from the command, unless its entry's env sets them", async () => {
    const names = ['AMQP_URL', 'REDIS_URL', 'DATABASE_URL', 'SMTP_URL', 'JOBDECK_NAMESPACE'];
    for (const name of names) vi.stubEnv(name, `secret-of-${name}`);
    vi.stubEnv('HOME', '/home/of-the-worker');
    try {
      const recorded = recordedContext('word-count', { mode: 'env' });
      const seen = await handlerOf({ ...PYTHON, env: { REDIS_URL: 'redis://its-own' } }).run(recorded.context);
      expect(seen).toEqual({
        AMQP_URL: null,
        REDIS_URL: 'redis://its-own',
        DATABASE_URL: null,
        SMTP_URL: null,
        JOBDECK_NAMESPACE: null,
        JOBDECK_JOB_ID: recorded.context.job.uuid,
        HOME: '/home/of-the-worker',
      });
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('coalesces a flood of progress lines: the attempt ends at once, with few writes and the last value', async () => {
    const recorded = recordedContext('word-count', { mode: 'flood' });
    // Each write takes a moment, as one to Redis does: 20,000 of them one after another took 20 s.
    recorded.context.reportProgress = (percent) => delay(1).then(() => void recorded.progress.push(percent));
    const started = Date.now();
    await expect(handlerOf(PYTHON).run(recorded.context)).resolves.toEqual({ lines: 20001 });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(recorded.progress.length).toBeLessThanOrEqual(101);
    expect(recorded.progress.at(-1)).toBe(100);
  });

  it("waits for a stalled progress write a bounded time only", async () => {
    const recorded = recordedContext('word-count', { mode: 'ok', text: 'a b' });
    recorded.context.reportProgress = () => new Promise(() => undefined);
    const started = Date.now();
    await expect(handlerOf(PYTHON).run(recorded.context)).resolves.toEqual(expect.objectContaining({ words: 2 }));
    expect(Date.now() - started).toBeLessThan(PROGRESS_SETTLE_MS + 1_500);
  });

  it('fails the attempt to be retried on exit 75, with stderr as the error', async () => {
    const failure = await failureOf(handlerOf(PYTHON).run(recordedContext('word-count', { mode: 'retry' }).context));
    expect(failure).not.toBeInstanceOf(PermanentJobError);
    expect(failure.message).toBe('command exited with code 75 (try again later): the service is busy');
  });

  it("fails on another exit with stderr's last 20 lines, and keeps every stderr line in the log", async () => {
    const recorded = recordedContext('word-count', { mode: 'fail' });
    const failure = await failureOf(handlerOf(PYTHON).run(recorded.context));
    expect(failure).not.toBeInstanceOf(PermanentJobError);
    const lines = Array.from({ length: 20 }, (_, n) => `trace line ${n + 11}`);
    expect(failure.message).toBe(`command exited with code 1: ${lines.join('\n')}`);
    expect(steps(recorded.logs)).toHaveLength(30);
    expect(steps(recorded.logs)[0]).toBe('stderr: trace line 1');
  });

  it('fails for good when the command printed {"permanent": true}', async () => {
    const failure = await failureOf(handlerOf(PYTHON).run(recordedContext('word-count', { mode: 'permanent' }).context));
    expect(failure).toBeInstanceOf(PermanentJobError);
    expect(failure.message).toBe('command exited with code 2: payload refused');
  });

  it('fails naming the signal that killed the command', async () => {
    const python = await failureOf(handlerOf(PYTHON).run(recordedContext('word-count', { mode: 'signal' }).context));
    expect(python.message).toBe('command was killed by SIGKILL (nothing on stderr)');
    const node = await failureOf(handlerOf(NODE).run(recordedContext('word-count', { mode: 'exit-by-term', text: 'x' }).context));
    expect(node.message).toBe('command was killed by SIGTERM (nothing on stderr)');
  });

  it('fails when the program does not exist', async () => {
    const failure = await failureOf(handlerOf({ command: [join(folder, 'no-such-program')] }).run(recordedContext('word-count', {}).context));
    expect(failure.message).toMatch(/^the command could not start: spawn .*no-such-program ENOENT$/);
  });

  it('kills the whole process group, grandchild too, on timeout', async () => {
    const pidFile = join(folder, 'timeout.pids');
    const run = failureOf(handlerOf(PYTHON, 1_500).run(recordedContext('word-count', { mode: 'hang', pid_file: pidFile }).context));
    const pids = await pidsIn(pidFile);
    expect(pids.every(isRunning)).toBe(true);
    const failure = await run;
    expect(failure.message).toBe('command timed out after 1500 ms, then ended by SIGTERM (nothing on stderr)');
    await allGone(pids, 3_000);
  });

  it("kills the whole process group when the worker's signal aborts (stop or cancel)", async () => {
    const pidFile = join(folder, 'abort.pids');
    const recorded = recordedContext('word-count', { mode: 'hang', pid_file: pidFile });
    const run = failureOf(handlerOf(PYTHON).run(recorded.context));
    const pids = await pidsIn(pidFile);
    recorded.abort.abort();
    const failure = await run;
    expect(failure.message).toBe('command was killed by SIGTERM (stopped: the worker is stopping or the job was cancelled) (nothing on stderr)');
    await allGone(pids, 3_000);
    expect(recorded.progress).toEqual([10]);
  });

  it('kills a command that ignores SIGTERM with SIGKILL after the stop grace', async () => {
    const pidFile = join(folder, 'ignore.pids');
    const recorded = recordedContext('word-count', { mode: 'ignore-term', pid_file: pidFile });
    const run = failureOf(handlerOf(PYTHON).run(recorded.context));
    await pidsIn(pidFile);
    const aborted = Date.now();
    recorded.abort.abort();
    const failure = await run;
    expect(failure.message).toMatch(/^command was killed by SIGKILL \(stopped: /);
    expect(Date.now() - aborted).toBeGreaterThanOrEqual(STOP_GRACE_MS - 100);
  }, 15_000);

  it('ends DONE when the command finishes on SIGTERM with a result (its effect happened)', async () => {
    const pidFile = join(folder, 'finish.pids');
    const recorded = recordedContext('word-count', { mode: 'finish-on-term', pid_file: pidFile });
    const run = handlerOf(PYTHON).run(recorded.context);
    await pidsIn(pidFile);
    recorded.abort.abort();
    await expect(run).resolves.toEqual({ finished: 'despite the SIGTERM' });
  });

  it('ends the command (its group) before failing the attempt when its reaper alone is killed', async () => {
    const pidFile = join(folder, 'reaper.pids');
    const run = failureOf(handlerOf(PYTHON).run(recordedContext('word-count', { mode: 'hang', pid_file: pidFile }).context));
    const pids = await pidsIn(pidFile);
    process.kill(parentOf(pids[0]!), 'SIGKILL');
    const failure = await run;
    expect(failure.message).toBe("the command's runner ended before the command");
    expect(pids.filter(isRunning)).toEqual([]);
  });

  it('leaves no orphan when its worker (its whole process group) is killed with SIGKILL mid-job', async () => {
    const pidFile = join(folder, 'orphan.pids');
    const worker = spawn(process.execPath, ['--import', 'tsx', fixture('worker-like.ts'), pidFile], { stdio: 'ignore', detached: true });
    try {
      const pids = await pidsIn(pidFile);
      expect(pids.every(isRunning)).toBe(true);
      process.kill(-worker.pid!, 'SIGKILL');
      await allGone([worker.pid!, ...pids], 3_000);
    } finally {
      worker.kill('SIGKILL');
    }
  });

  it('takes exit 69 (EX_UNAVAILABLE) as an outage of its dependency, not a failed attempt', async () => {
    const outage = join(folder, 'down');
    writeFileSync(outage, '');
    const spec: CommandHandlerSpec = { command: [process.execPath, fixture('unavailable.mjs')] };
    const down = await failureOf(handlerOf(spec).run(recordedContext('word-count', { outage_file: outage }).context));
    expect(down).toBeInstanceOf(UnavailableError);
    expect(down.message).toBe('command exited with code 69 (unavailable): the service this command needs is down');
    rmSync(outage);
    await expect(handlerOf(spec).run(recordedContext('word-count', { outage_file: outage }).context)).resolves.toEqual({ ran_on_attempt: 1 });
  });
});
