/**
 * Stage 5, console: the Jobs view in Chromium (Playwright, the system's browser) while status
 * events arrive at a steady rate. Measures the frame time (requestAnimationFrame deltas, p95)
 * and the delay from a status write in Redis until the changed row shows it.
 *
 * Written against the page through role and name based selectors only (the Jobs table, its
 * rows' "show job details" buttons, each row's "Progress of job <id>" bar), so a rebuilt table
 * that keeps those names needs no change here.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Redis } from 'ioredis';
import { chromium } from 'playwright-core';
import { StatusScript } from '../../../src-shared/node/status-script';
import { namesFor } from '../../../src-shared/topology';
import { TEST_SERVICES } from '../../support/namespace';
import type { HeadlessConsole } from '../headless-console';
import { delay, percentile, round, until } from '../stats';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../e2e/environment';

const PROBE_EVERY_MS = 250;
const PROBE_TIMEOUT_MS = 5_000;
const TICK_MS = 10;
const SEED_BATCH = 1_000;

/**
 * Runs in the page (a string: this program has no DOM types): records every frame's duration
 * in `benchFrames`, and `benchSeen(label, value)` resolves with the wall-clock time at the first
 * frame where the progress bar named `label` shows `value`.
 */
const PAGE_PROBES = `
  window.benchFrames = [];
  let last = performance.now();
  const tick = (now) => {
    window.benchFrames.push(now - last);
    last = now;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  window.benchSeen = (label, value) => new Promise((resolve) => {
    const check = () => {
      const bar = document.querySelector('[role="progressbar"][aria-label="' + label + '"]');
      if (bar && Number(bar.getAttribute('aria-valuenow')) === value) resolve(Date.now());
      else requestAnimationFrame(check);
    };
    check();
  });
`;

export interface ConsoleFigure {
  jobs_seeded: number;
  rows_shown: number;
  events_per_s: number;
  seconds: number;
  frames: number;
  frame_p95_ms: number;
  change_visible_p50_ms: number;
  change_visible_p99_ms: number;
  probes: number;
}

/** Jobs as the API would create them, QUEUED, written straight to Redis (their events reach the history). */
async function seedJobs(status: StatusScript, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < count; start += SEED_BATCH) {
    const batch = Array.from({ length: Math.min(SEED_BATCH, count - start) }, () => randomUUID());
    await Promise.all(
      batch.map((id) => {
        const at = new Date().toISOString();
        return status.write(id, {
          status: 'QUEUED',
          at,
          worker: 'api',
          guard: 'create',
          emit: true,
          seed: { id, kind: 'log', type: 'A', payload: { client_time: at }, created_at: at },
        });
      }),
    );
    ids.push(...batch);
  }
  return ids;
}

export async function consoleFrames(
  app: HeadlessConsole,
  jobs: number,
  eventsPerSecond: number,
  seconds: number,
  historyCount: () => Promise<number>,
): Promise<ConsoleFigure | { skipped: string }> {
  if (!existsSync(CHROMIUM_PATH)) return { skipped: `Chromium is not installed at ${CHROMIUM_PATH}` };
  const redis = new Redis(TEST_SERVICES.redisUrl, { enableAutoPipelining: true });
  const status = new StatusScript(redis, namesFor(app.namespace), { terminalTtlSeconds: 3600, streamMaxLength: 200_000 });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const before = await historyCount();
    const ids = await seedJobs(status, jobs);
    await until(async () => (await historyCount()) - before >= jobs, 120_000, `${jobs} seeded jobs in the history`, 200);

    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${app.url}/#/jobs`);
    const table = page.getByRole('table', { name: 'Jobs' });
    const rowButtons = table.getByRole('button', { name: /show job details$/ });
    await rowButtons.first().waitFor({ timeout: 30_000 });
    const probeShorts = (await rowButtons.evaluateAll((els) => els.slice(0, 20).map((el) => el.getAttribute('aria-label')!.split(',')[0]!)))
      .filter(Boolean);
    const probeIds = ids.filter((id) => probeShorts.includes(id.slice(0, 8)));
    if (probeIds.length === 0) throw new Error('bench: none of the seeded jobs shows in the Jobs table');
    // The flood leaves the probed jobs alone, so a probe's value is not overwritten before it shows.
    const floodIds = ids.filter((id) => !probeIds.includes(id));

    await page.evaluate(PAGE_PROBES);

    const visible: number[] = [];
    const started = Date.now();
    const end = started + seconds * 1000;
    let sent = 0;
    let probeValue = 1;
    let nextProbe = started;
    const probes: Promise<void>[] = [];
    while (Date.now() < end) {
      const due = Math.floor(((Date.now() - started) * eventsPerSecond) / 1000);
      const writes: Promise<unknown>[] = [];
      for (; sent < due; sent++) {
        const id = floodIds[Math.floor(Math.random() * floodIds.length)]!;
        writes.push(status.write(id, { status: 'IN PROGRESS', at: new Date().toISOString(), worker: 'bench', guard: 'live', emit: true, progress: sent % 100 }));
      }
      if (Date.now() >= nextProbe) {
        nextProbe += PROBE_EVERY_MS;
        const id = probeIds[probeValue % probeIds.length]!;
        const value = (probeValue++ % 97) + 1;
        const label = `Progress of job ${id.slice(0, 8)}`;
        const seen = page.evaluate(`window.benchSeen(${JSON.stringify(label)}, ${value})`) as Promise<number>;
        const writtenAt = Date.now();
        writes.push(status.write(id, { status: 'IN PROGRESS', at: new Date().toISOString(), worker: 'bench', guard: 'live', emit: true, progress: value }));
        probes.push(
          Promise.race([seen, delay(PROBE_TIMEOUT_MS).then(() => writtenAt + PROBE_TIMEOUT_MS)]).then((at) => void visible.push(at - writtenAt)),
        );
      }
      await Promise.all(writes);
      await delay(TICK_MS);
    }
    await Promise.all(probes);
    const frames = (await page.evaluate('window.benchFrames.slice(1)')) as number[];
    const rowsShown = await table.getByRole('row').count();
    return {
      jobs_seeded: jobs,
      rows_shown: Math.max(0, rowsShown - 1),
      events_per_s: round((sent * 1000) / (seconds * 1000)),
      seconds,
      frames: frames.length,
      frame_p95_ms: round(percentile(frames, 95)),
      change_visible_p50_ms: round(percentile(visible, 50)),
      change_visible_p99_ms: round(percentile(visible, 99)),
      probes: visible.length,
    };
  } finally {
    await browser.close();
    redis.disconnect();
  }
}
