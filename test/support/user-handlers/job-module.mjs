// A user module for the module handler's tests: what it does is the payload's `mode`.
export default async function run(job, ctx) {
  const { mode } = job.payload;
  if (mode === 'ok') {
    await ctx.progress(50);
    ctx.log(`counting for job ${job.id}, attempt ${ctx.attempt}`);
    return { words: job.payload.text.split(/\s+/).length, attempt: job.attempt, kind: job.kind };
  }
  if (mode === 'throw-first') {
    if (ctx.attempt === 1) throw new Error('the service is busy');
    return { attempt: ctx.attempt };
  }
  if (mode === 'flood') {
    // Progress as a busy loop reports it: never awaited, 20,000 times.
    for (let n = 0; n <= 20_000; n++) void ctx.progress(n / 200);
    return { reports: 20_001 };
  }
  if (mode === 'value') return 42;
  if (mode === 'nothing') return undefined;
  if (mode === 'type-error') return null.words;
  if (mode === 'permanent') throw ctx.permanent('text must not be empty');
  if (mode === 'flagged') throw Object.assign(new Error('refused for good'), { permanent: true });
  if (mode === 'unavailable') throw ctx.unavailable('the lookup service is down');
  if (mode === 'unavailable-flagged') throw Object.assign(new Error('no route to the lookup service'), { unavailable: true });
  if (mode === 'string') throw 'plain words';
  if (mode === 'hang') return new Promise(() => undefined);
  if (mode === 'hang-until-abort') {
    await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
    throw new Error(`gave up: ${ctx.signal.aborted}`);
  }
  if (mode === 'finish-after-abort') {
    await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
    return { finished: 'despite the abort' };
  }
  throw new Error(`unknown mode ${mode}`);
}
