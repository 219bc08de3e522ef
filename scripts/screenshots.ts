/**
 * `npm run screenshots`: a PNG of every view of the console, 1440 × 900 px, light scheme, into
 * docs/screenshots/<view>.png — the Jobs view with a failed job's details open.
 *
 * Which console:
 * - the one answering at JOBDECK_URL (default http://127.0.0.1:8000), shot as it is: jobs are
 *   added to its namespace only with `--seed`;
 * - when nothing answers at the default address, or with `--throwaway`: a headless console of
 *   its own (the built out/main/headless.js, built first when stale) on a free port in a
 *   namespace `jdshots_<random>`, seeded with a few jobs, then stopped and its namespace dropped.
 * A JOBDECK_URL that does not answer is an error: the user named that console.
 *
 * Chromium is Debian's (/usr/bin/chromium, the e2e suite's flags); no browser is downloaded.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { ensureBuilt, startHeadless } from '../test/bench/headless-console';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/e2e/environment';
import { uniqueNamespace } from '../test/support/namespace';
import { runIfEntryPoint } from './script-entry';
import { seedJobs, type SeededJobs } from './screenshot-seed';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT_DIR = path.join(ROOT, 'docs', 'screenshots');
const DEFAULT_URL = 'http://127.0.0.1:8000';
const VIEWPORT = { width: 1440, height: 900 };
const PROBE_TIMEOUT_MS = 2_000;
const VIEW_TIMEOUT_MS = 30_000;
/** After the view has its data: charts draw their first frame, transitions end. */
const SETTLE_MS = 600;

/** A problem the user can act on: printed without a stack, exit 1. */
class ScreenshotsError extends Error {}

/** The console shot: its address, whether to seed it, and how to let it go. */
interface Target {
  url: string;
  seed: boolean;
  release(): Promise<void>;
}

function log(line: string): void {
  console.log(`[screenshots] ${line}`);
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/api/v1/health`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return response.status === 200 || response.status === 503;
  } catch {
    return false;
  }
}

async function throwawayConsole(): Promise<Target> {
  await ensureBuilt(ROOT, 'screenshots');
  const headless = await startHeadless(ROOT, uniqueNamespace('jdshots'), { JOBDECK_WORKERS: 'A=1,B=1,C=1' });
  log(`throwaway headless console at ${headless.url}, namespace ${headless.namespace} (removed afterwards)`);
  return { url: headless.url, seed: true, release: () => headless.stop() };
}

/** The console named by JOBDECK_URL or answering at the default address, else a throwaway one. */
async function chooseTarget(argv: readonly string[]): Promise<Target> {
  const named = process.env.JOBDECK_URL?.replace(/\/+$/, '');
  if (argv.includes('--throwaway')) return throwawayConsole();
  const url = named || DEFAULT_URL;
  if (await answers(url)) {
    const seed = argv.includes('--seed');
    log(`shooting the console at ${url}${seed ? ', after seeding jobs into its namespace' : ' as it is (--seed adds a few jobs)'}`);
    return { url, seed, release: async () => undefined };
  }
  if (named) {
    throw new ScreenshotsError(
      `nothing answers at JOBDECK_URL=${named}: start that console (npm start), or unset JOBDECK_URL to shoot a throwaway console`,
    );
  }
  log(`nothing answers at ${DEFAULT_URL}; starting a throwaway headless console`);
  return throwawayConsole();
}

/** A view's line while it reads what it shows ("Loading jobs…", "Loading the message…"). */
const LOADING = /Loading[^…]*…/;

/**
 * Loads the page and reads the views its navigation lists (`#/overview` …), in its order. Every
 * view is then opened by a change of the hash: one page load, whose live figures cover the seeding.
 */
async function loadViews(page: Page, url: string): Promise<string[]> {
  await page.goto(`${url}/`);
  await page.getByRole('status').filter({ hasText: 'Live' }).waitFor({ timeout: VIEW_TIMEOUT_MS });
  const links = page.getByRole('navigation', { name: 'Views' }).getByRole('link');
  await links.first().waitFor({ timeout: VIEW_TIMEOUT_MS });
  const hrefs = await links.evaluateAll((elements) => elements.map((element) => element.getAttribute('href') ?? ''));
  return hrefs.map((href) => href.replace(/^#\/?/, '')).filter((view) => /^[a-z-]+$/.test(view));
}

/** Opens a view and waits until it is live and has read what it shows. */
async function openView(page: Page, url: string, view: string): Promise<void> {
  await page.goto(`${url}/#/${view}`);
  await page.getByRole('status').filter({ hasText: 'Live' }).waitFor({ timeout: VIEW_TIMEOUT_MS });
  await page.locator(`main[data-view="${view}"] .view h2`).first().waitFor({ timeout: VIEW_TIMEOUT_MS });
  await page.locator('main').getByText(LOADING).first().waitFor({ state: 'hidden', timeout: VIEW_TIMEOUT_MS });
}

/** Opens the first item of a list view (mail, webhooks, subscriptions) when it has one. */
async function openFirstRecord(page: Page): Promise<void> {
  const first = page.locator('main .record-item, main nav[aria-label="Subscriptions"] button').first();
  if ((await first.count()) === 0) return;
  await first.click();
  await page.locator('main').getByText(LOADING).first().waitFor({ state: 'hidden', timeout: VIEW_TIMEOUT_MS });
}

/** What a view shows beyond its first screen: a job's details, a list's first item. */
const PREPARE: Record<string, (page: Page, seeded: SeededJobs | null) => Promise<void>> = {
  jobs: async (page, seeded) => {
    const rows = page.getByRole('button', { name: /show job details$/ });
    const row = seeded ? rows.filter({ hasText: seeded.failedJobId.slice(0, 8) }) : rows.first();
    if ((await row.count()) === 0) return log('the Jobs view shows no job (or not the failed one): its shot has no details open');
    await row.click();
    await page.locator('main .detail-panel h2').first().waitFor({ timeout: VIEW_TIMEOUT_MS });
  },
  mail: openFirstRecord,
  webhooks: openFirstRecord,
  subscriptions: openFirstRecord,
};

async function shootViews(target: Target): Promise<string[]> {
  if (!existsSync(CHROMIUM_PATH)) throw new ScreenshotsError(`Chromium is not installed at ${CHROMIUM_PATH} (Debian: apt-get install chromium)`);
  mkdirSync(OUT_DIR, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: VIEWPORT, colorScheme: 'light' });
    const { url } = target;
    const views = await loadViews(page, url);
    if (target.seed) log('seeding jobs (about 15 s)');
    const seeded = target.seed ? await seedJobs(url) : null;
    const written: string[] = [];
    for (const view of views) {
      await openView(page, url, view);
      await PREPARE[view]?.(page, seeded);
      await page.waitForTimeout(SETTLE_MS);
      const file = path.join(OUT_DIR, `${view}.png`);
      await page.screenshot({ path: file });
      written.push(file);
      log(`${path.relative(ROOT, file)} (${Math.round(statSync(file).size / 1024)} KB)`);
    }
    return written;
  } finally {
    await browser.close();
  }
}

async function run(argv: readonly string[]): Promise<void> {
  const target = await chooseTarget(argv);
  try {
    const written = await shootViews(target);
    log(`${written.length} views written to ${path.relative(ROOT, OUT_DIR)}/`);
  } finally {
    await target.release();
  }
}

runIfEntryPoint(import.meta.url, 'screenshots', run, (error) => error instanceof ScreenshotsError);
