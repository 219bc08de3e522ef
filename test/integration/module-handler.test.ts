import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { KindDefinition } from '../../src-shared/kind-definition';
import { PermanentJobError, UnavailableError } from '../../src-worker/handlers/handler';
import { createHandler } from '../../src-worker/handlers/user-handlers';
import { recordedContext } from '../support/handler-context';

// Real ES modules imported by the module handler, in this process.
const fixture = (name: string): string => fileURLToPath(new URL(`../support/user-handlers/${name}`, import.meta.url));
const MODULE = fixture('job-module.mjs');

function moduleKind(timeoutMs?: number): KindDefinition {
  return { name: 'word-count', description: 'counts words', payload_schema: {}, handler: { module: MODULE }, ...(timeoutMs ? { timeout_ms: timeoutMs } : {}) };
}
const handlerOf = (timeoutMs?: number) => createHandler({ module: MODULE }, moduleKind(timeoutMs));

describe('module handler', () => {
  it('passes the job and its attempt, records progress and log lines, and takes the answer as the result', async () => {
    const recorded = recordedContext('word-count', { mode: 'ok', text: 'one two three' }, 2);
    const result = await handlerOf().run(recorded.context);
    expect(result).toEqual({ words: 3, attempt: 2, kind: 'word-count' });
    expect(recorded.progress).toEqual([50]);
    expect(recorded.logs).toEqual([`counting for job ${recorded.context.job.uuid}, attempt 2`]);
  });

  it('coalesces a flood of ctx.progress calls: few writes, the last value kept, the attempt ends at once', async () => {
    const recorded = recordedContext('word-count', { mode: 'flood' });
    recorded.context.reportProgress = (percent) => delay(1).then(() => void recorded.progress.push(percent));
    const started = Date.now();
    await expect(handlerOf().run(recorded.context)).resolves.toEqual({ reports: 20_001 });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(recorded.progress.length).toBeLessThanOrEqual(101);
    expect(recorded.progress.at(-1)).toBe(100);
  });

  it('wraps an answer that is not an object as {value}, and nothing as {}', async () => {
    const handler = handlerOf();
    await expect(handler.run(recordedContext('word-count', { mode: 'value' }).context)).resolves.toEqual({ value: 42 });
    await expect(handler.run(recordedContext('word-count', { mode: 'nothing' }).context)).resolves.toEqual({});
  });

  it('fails the attempt with a readable error when the module throws, and logs the stack', async () => {
    const recorded = recordedContext('word-count', { mode: 'type-error' });
    const failure = await handlerOf().run(recorded.context).catch((error: Error) => error);
    expect(failure).not.toBeInstanceOf(PermanentJobError);
    expect((failure as Error).message).toMatch(/^TypeError: Cannot read properties of null/);
    expect(recorded.logs.join('\n')).toContain('job-module.mjs');
    await expect(handlerOf().run(recordedContext('word-count', { mode: 'string' }).context)).rejects.toThrow('plain words');
  });

  it('fails for good on ctx.permanent(…) or an error marked permanent', async () => {
    const handler = handlerOf();
    const viaContext = await handler.run(recordedContext('word-count', { mode: 'permanent' }).context).catch((error: Error) => error);
    expect(viaContext).toBeInstanceOf(PermanentJobError);
    expect((viaContext as Error).message).toBe('text must not be empty');
    const flagged = await handler.run(recordedContext('word-count', { mode: 'flagged' }).context).catch((error: Error) => error);
    expect(flagged).toBeInstanceOf(PermanentJobError);
    expect((flagged as Error).message).toBe('refused for good');
  });

  it('says its dependency is down on ctx.unavailable(…) or an error marked unavailable: an outage, not a failed attempt', async () => {
    const handler = handlerOf();
    const viaContext = await handler.run(recordedContext('word-count', { mode: 'unavailable' }).context).catch((error: Error) => error);
    expect(viaContext).toBeInstanceOf(UnavailableError);
    expect(viaContext).toMatchObject({ message: 'the lookup service is down', dependency: "kind word-count's dependency" });
    const flagged = await handler.run(recordedContext('word-count', { mode: 'unavailable-flagged' }).context).catch((error: Error) => error);
    expect(flagged).toBeInstanceOf(UnavailableError);
    expect((flagged as Error).message).toBe('no route to the lookup service');
  });

  it("bounds a hang by the kind's timeout_ms and aborts the module's signal", async () => {
    const started = Date.now();
    const hanging = recordedContext('word-count', { mode: 'hang' });
    await expect(handlerOf(300).run(hanging.context)).rejects.toThrow('timed out after 300 ms');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(hanging.logs).toEqual([]);
    // A module that listens to its signal sees the timeout too.
    await expect(handlerOf(300).run(recordedContext('word-count', { mode: 'hang-until-abort' }).context)).rejects.toThrow('timed out after 300 ms');
  });

  it("aborts the module's signal when the worker's does: it ends in its own way", async () => {
    const stopped = recordedContext('word-count', { mode: 'hang-until-abort' });
    const run = handlerOf().run(stopped.context);
    setTimeout(() => stopped.abort.abort(), 100);
    await expect(run).rejects.toThrow('gave up: true');
    const finishing = recordedContext('word-count', { mode: 'finish-after-abort' });
    const done = handlerOf().run(finishing.context);
    setTimeout(() => finishing.abort.abort(), 100);
    await expect(done).resolves.toEqual({ finished: 'despite the abort' });
  });

  it('gives up on a module that ignores the abort after the stop grace', async () => {
    const ignoring = recordedContext('word-count', { mode: 'hang' });
    const run = handlerOf().run(ignoring.context);
    ignoring.abort.abort();
    await expect(run).rejects.toThrow('stopped: the worker is stopping or the job was cancelled; the module did not stop within 5000 ms');
  }, 10_000);

});
