import { expect, test, type Locator, type Page } from '@playwright/test';
import { freePort } from '../support/free-port';
import { E2E_SKIP_ENV } from './environment';

const skipReason = process.env[E2E_SKIP_ENV];
test.skip(Boolean(skipReason), skipReason);

const WIDTHS = [1024, 1440, 1920] as const;
const HEIGHT = 800;
const VIEWS = ['overview', 'submit', 'jobs', 'queues', 'workers', 'batches', 'mail', 'webhooks', 'subscriptions', 'dead-letters', 'audit', 'api', 'settings'] as const;
/** Five attempts with 1 s, 2 s, 4 s and 8 s between them (the console's defaults). */
const FAILED_TIMEOUT_MS = 60_000;
/** A payload or error box shorter than this is squeezed (the bug drew them 18 px tall). */
const MIN_BOX_PX = 40;

/** A callback URL on a port nothing listens on: refused, so retried (fetch's blocked ports would fail for good). */
async function refusedUrl(): Promise<string> {
  return `http://127.0.0.1:${await freePort()}/nowhere`;
}

/**
 * Every visible element whose content is wider than its box: text that is cut, badges that are
 * clipped, a placeholder longer than its input. Elements meant to scroll or ellipsize are left out.
 */
const CLIPPED_SCRIPT = `(() => {
  // The placeholder's width, measured as the page draws text (a canvas may pick another font).
  const probe = document.body.appendChild(document.createElement('span'));
  probe.style.cssText = 'position:absolute;visibility:hidden;white-space:pre;left:0;top:0';
  const describe = (el, what) => el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') + ' "' + what.slice(0, 40) + '"';
  const found = [];
  for (const el of document.querySelectorAll('body *')) {
    const style = getComputedStyle(el);
    if (style.display === 'inline' || style.display === 'contents' || style.display === 'none' || style.visibility === 'hidden') continue;
    if (el.closest('.visually-hidden, [aria-hidden="true"] svg')) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (el.matches('input, textarea') && el.placeholder && !el.value) {
      probe.style.font = style.font;
      probe.style.letterSpacing = style.letterSpacing;
      probe.textContent = el.placeholder;
      const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      const needed = probe.getBoundingClientRect().width;
      if (needed > room + 1) found.push(describe(el, el.placeholder) + ' placeholder needs ' + Math.ceil(needed) + ' px, has ' + Math.floor(room));
      continue;
    }
    if (!el.textContent.trim()) continue;
    // Meant to scroll, or to ellipsize with the whole text on hover.
    if (['auto', 'scroll'].includes(style.overflowX) || (style.textOverflow === 'ellipsis' && el.title)) continue;
    if (el.scrollWidth > el.clientWidth + 1) found.push(describe(el, el.textContent.trim()) + ' content ' + el.scrollWidth + ' px in ' + el.clientWidth);
    if (el.scrollHeight > el.clientHeight + 1 && ['hidden', 'clip'].includes(style.overflowY)) found.push(describe(el, el.textContent.trim()) + ' cut at ' + el.clientHeight + ' px of ' + el.scrollHeight);
  }
  probe.remove();
  return found;
})()`;

async function clipped(page: Page): Promise<string[]> {
  return page.evaluate(CLIPPED_SCRIPT) as Promise<string[]>;
}

async function openView(page: Page, view: (typeof VIEWS)[number]): Promise<void> {
  await page.goto(`/#/${view}`);
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  await expect(page.locator('.view h2').first()).toBeVisible();
}

/** Whether the element lies wholly inside the viewport (no scrolling needed to see it). */
async function expectInViewport(page: Page, locator: Locator, what: string): Promise<void> {
  const box = await locator.boundingBox();
  const viewport = page.viewportSize()!;
  expect(box, `${what} is drawn`).not.toBeNull();
  expect(box!.x + box!.width, `${what}'s right edge within the ${viewport.width} px window`).toBeLessThanOrEqual(viewport.width);
  expect(box!.y, `${what}'s top within the ${viewport.height} px window`).toBeLessThan(viewport.height);
  expect(box!.y + box!.height, `${what}'s top within the ${viewport.height} px window`).toBeGreaterThan(0);
}

async function submitViaApi(page: Page, kind: string, payload: unknown): Promise<string> {
  const response = await page.request.post('/api/v1/jobs', { data: { kind, payload } });
  expect(response.status()).toBe(202);
  const body = (await response.json()) as { id: string };
  return body.id;
}

async function waitForStatus(page: Page, id: string, status: string, timeout = FAILED_TIMEOUT_MS): Promise<void> {
  await expect
    .poll(async () => ((await (await page.request.get(`/api/v1/jobs/${id}`)).json()) as { status: string }).status, { timeout })
    .toBe(status);
}

test.describe('layout', () => {
  test.beforeAll(async ({ request }) => {
    // Rows in every state the table draws, so their badges and progress text are measured.
    const submit = async (payload: unknown) => {
      const response = await request.post('/api/v1/jobs', { data: { kind: 'callback', payload } });
      expect(response.status()).toBe(202);
      return ((await response.json()) as { id: string }).id;
    };
    const status = async (id: string) => ((await (await request.get(`/api/v1/jobs/${id}`)).json()) as { status: string }).status;
    const done = await submit({ duration_ms: 10 });
    await submit({ duration_ms: 120_000 });
    // A failing callback waits 1 s, then 2 s, before its next attempts: cancelled while it waits.
    const failing = await submit({ callback_url: await refusedUrl(), duration_ms: 10 });
    // One attempt only: it fails for good, so Dead letters has a row to measure.
    const response = await request.post('/api/v1/jobs', { data: { kind: 'callback', payload: { callback_url: await refusedUrl(), duration_ms: 10 }, max_attempts: 1 } });
    expect(response.status()).toBe(202);
    await expect.poll(() => status(failing), { timeout: 30_000, intervals: [100] }).toBe('RETRYING');
    const deadLetters = async () => ((await (await request.get('/api/v1/dead-letters?limit=1')).json()) as { items: unknown[] }).items.length;
    await expect.poll(deadLetters, { timeout: 30_000 }).toBeGreaterThan(0);
    expect((await request.post(`/api/v1/jobs/${failing}/cancel`)).status()).toBe(200);
    await expect.poll(() => status(done), { timeout: 30_000 }).toBe('DONE');
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    test(`no view cuts its text at 1024, 1440 and 1920 px (${colorScheme})`, async ({ page }) => {
      test.setTimeout(180_000);
      await page.emulateMedia({ colorScheme });
      const problems: string[] = [];
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: HEIGHT });
        for (const view of VIEWS) {
          await openView(page, view);
          if (view === 'jobs') await expect(page.locator('.job-row').first()).toBeVisible();
          if (view === 'dead-letters') await expect(page.locator('tr[data-dead-letter]').first()).toBeVisible();
          for (const problem of await clipped(page)) problems.push(`${width} px ${view}: ${problem}`);
          if (width !== 1920) await page.screenshot({ path: `test-results/layout/${view}-${width}-${colorScheme}.png` });
        }
      }
      expect(problems).toEqual([]);
    });
  }

  test('the key controls are within the window at 1024 px', async ({ page }) => {
    await page.setViewportSize({ width: 1024, height: HEIGHT });
    await openView(page, 'workers');
    const restart = page.getByRole('button', { name: /^Restart worker/ }).first();
    const stop = page.getByRole('button', { name: /^Stop worker/ }).first();
    await expect(restart).toBeVisible();
    await expectInViewport(page, restart, 'Restart');
    await expectInViewport(page, stop, 'Stop');

    await openView(page, 'jobs');
    const rowButton = page.locator('.job-row').first().getByRole('button');
    await rowButton.click();
    const detail = page.locator('.detail-panel');
    // The details open in sight as a drawer while focus stays on the row (arrows go on from there).
    await expect(detail.getByRole('heading', { level: 2, name: /^Job / })).toBeVisible();
    await expect(rowButton).toBeFocused();
    await expectInViewport(page, detail.getByRole('heading', { level: 2 }), 'the job details heading');
    await expectInViewport(page, detail.getByRole('region', { name: 'Payload' }), 'the job payload');
  });
});

test('a failed job with several attempts shows its payload and error at full height', async ({ page }) => {
  test.setTimeout(120_000);
  // Every attempt is refused, five of them, then FAILED.
  const payload = { callback_url: await refusedUrl(), duration_ms: 10 };
  const id = await submitViaApi(page, 'callback', payload);
  await waitForStatus(page, id, 'FAILED');
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    for (const [view, width] of [['jobs', 1440], ['submit', 1440], ['jobs', 1024]] as const) {
      await page.setViewportSize({ width, height: HEIGHT });
      await page.goto(`/#/${view}`);
      if (view === 'jobs') {
        await page.getByRole('searchbox').fill(id);
        await page.getByRole('button', { name: `${id.slice(0, 8)}, show job details` }).click();
      } else {
        await page.goto(`/#/jobs`);
        await page.getByRole('searchbox').fill(id);
        await page.getByRole('button', { name: `${id.slice(0, 8)}, show job details` }).click();
        await page.goto(`/#/submit`);
      }
      const detail = page.getByRole('region', { name: `Job ${id.slice(0, 8)}` });
      await expect(detail.getByRole('heading', { name: 'Failed attempts' })).toBeVisible();
      expect(await detail.locator('.attempt-errors li').count()).toBeGreaterThanOrEqual(2);
      for (const name of ['Payload', 'Error']) {
        const box = detail.getByRole('region', { name, exact: true });
        const size = await box.evaluate((el) => ({ height: el.clientHeight, scroll: el.scrollHeight, width: el.clientWidth, scrollWidth: el.scrollWidth }));
        expect(size.height, `${name} box height (${view}, ${width} px, ${colorScheme})`).toBeGreaterThanOrEqual(MIN_BOX_PX);
        expect(size.scroll, `${name} box scrolls inside (${view}, ${width} px, ${colorScheme})`).toBeLessThanOrEqual(size.height + 1);
        expect(size.scrollWidth).toBeLessThanOrEqual(size.width + 1);
      }
      await page.screenshot({ path: `test-results/layout/failed-${view}-${width}-${colorScheme}.png`, fullPage: true });
    }
  }
});

test('times show their date when not today, and their zone on hover', async ({ page }) => {
  const id = await submitViaApi(page, 'log', { client_time: Math.floor(Date.now() / 1000) });
  await waitForStatus(page, id, 'DONE', 45_000);
  // The browser's clock two days on: the job's times are from another day.
  await page.clock.setSystemTime(Date.now() + 2 * 86_400_000);
  await page.goto('/#/jobs');
  await page.getByRole('searchbox').fill(id);
  const row = page.locator('.job-row').filter({ has: page.getByRole('button', { name: `${id.slice(0, 8)}, show job details` }) });
  const created = row.locator('time').first();
  await expect(created).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  await expect(created).toHaveAttribute('title', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2} \(.+\)$/);
  // Two lines in the row: date, then time; nothing cut at the narrowest width either.
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: HEIGHT });
    expect(await clipped(page)).toEqual([]);
  }
  await page.screenshot({ path: 'test-results/layout/jobs-other-day-1920.png' });
  await row.getByRole('button').click();
  const detail = page.getByRole('region', { name: `Job ${id.slice(0, 8)}` });
  await expect(detail.locator('time').first()).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/);
  // Settings uses the same 24-hour clock, never AM/PM.
  await page.goto('/#/settings');
  const tested = page.getByText(/^Tested at /);
  await expect(tested).toBeVisible();
  await expect(tested).not.toHaveText(/AM|PM/);
  await expect(tested.locator('time')).toHaveAttribute('title', /[+-]\d{2}:\d{2} \(.+\)$/);
});
