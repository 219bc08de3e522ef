import { expect, test, type Locator, type Page } from '@playwright/test';
import { E2E_SKIP_ENV } from './environment';

const skipReason = process.env[E2E_SKIP_ENV];
test.skip(Boolean(skipReason), skipReason);

const SYNTHETIC_COUNT = 300;
const DONE_TIMEOUT_MS = 45_000;

/** The n-th made-up job (0 is the newest): its attempts go 3, 1, 2, 3, 1, … so a sort by attempts reorders them. */
function syntheticJob(n: number) {
  const at = new Date(Date.UTC(2026, 0, 1) + (SYNTHETIC_COUNT - n) * 1000).toISOString();
  return {
    id: `${n.toString(16).padStart(8, '0')}-0000-4000-8000-00000000beef`,
    kind: 'log',
    type: 'A',
    status: 'DONE',
    payload: { client_time: at, note: `keyboard ${n}` },
    progress: 100,
    attempts: ((n + 2) % 3) + 1,
    created_at: at,
    updated_at: at,
    transitions: [{ status: 'DONE', at, worker: 'e2e/1' }],
    result: null,
    error: null,
    version: 3,
  };
}

/** Opens the console on a view with only the made-up jobs in its first page (newest first). */
async function openWithSyntheticJobs(page: Page, view: string): Promise<void> {
  const items = Array.from({ length: SYNTHETIC_COUNT }, (_, n) => syntheticJob(n));
  await page.route('**/api/v1/jobs?*', (route) =>
    route.request().method() === 'GET' ? route.fulfill({ json: { items, next_cursor: null } }) : route.continue(),
  );
  await page.goto(`/#/${view}`);
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
}

function rowButton(page: Page, n: number): Locator {
  return page.getByRole('button', { name: `${syntheticJob(n).id.slice(0, 8)}, show job details` });
}

function detailOf(page: Page, id: string): Locator {
  return page.getByRole('region', { name: `Job ${id.slice(0, 8)}` });
}

async function openPalette(page: Page): Promise<Locator> {
  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  await expect(palette).toBeVisible();
  await expect(palette.getByRole('combobox')).toBeFocused();
  return palette;
}

/** The job IDs of the rows in the table, top to bottom. */
async function rowIds(page: Page): Promise<string[]> {
  return page.locator('#jobs-table button[data-job-id]').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-job-id') ?? ''));
}

test('arrow keys move between rows, Enter opens the details and leaves focus on the row, Esc closes them', async ({ page }) => {
  await openWithSyntheticJobs(page, 'jobs');
  await rowButton(page, 0).focus();
  await page.keyboard.press('ArrowDown');
  await expect(rowButton(page, 1)).toBeFocused();

  await page.keyboard.press('Enter');
  const detail = detailOf(page, syntheticJob(1).id);
  await expect(detail).toBeVisible();
  await expect(rowButton(page, 1)).toBeFocused();
  // The next arrow works from the row, with the details open.
  await page.keyboard.press('ArrowDown');
  await expect(rowButton(page, 2)).toBeFocused();
  await page.keyboard.press('Space');
  await expect(detailOf(page, syntheticJob(2).id)).toBeVisible();
  await expect(rowButton(page, 2)).toBeFocused();

  await page.keyboard.press('Escape');
  await expect(page.getByRole('region', { name: 'Job details' })).toBeVisible();
  await expect(rowButton(page, 2)).toBeFocused();

  // End scrolls the virtual list to the oldest row, Home back to the newest.
  await page.keyboard.press('End');
  await expect(rowButton(page, SYNTHETIC_COUNT - 1)).toBeFocused();
  await page.keyboard.press('Home');
  await expect(rowButton(page, 0)).toBeFocused();

  // A click opens the job and focuses its row too, so arrows go on from there.
  await page.getByRole('row').filter({ has: rowButton(page, 3) }).getByRole('cell').nth(2).click(); // its kind
  await expect(detailOf(page, syntheticJob(3).id)).toBeVisible();
  await page.keyboard.press('ArrowUp');
  await expect(rowButton(page, 2)).toBeFocused();
  await page.screenshot({ path: 'test-results/screens/keyboard-rows.png' });
});

test('/ focuses the search box unless typing; G then a letter and Alt+digit switch views; ? lists every shortcut', async ({ page }) => {
  await openWithSyntheticJobs(page, 'overview');
  await page.keyboard.press('g');
  await page.keyboard.press('j');
  await expect(page.getByRole('heading', { level: 2, name: 'Jobs' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Jobs', exact: true })).toHaveAttribute('aria-current', 'page');

  const search = page.getByRole('searchbox', { name: 'Search' });
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('/');
  await expect(search).toBeFocused();
  // Typing: `/` and letters are text, not shortcuts.
  await page.keyboard.type('a/gq');
  await expect(search).toHaveValue('a/gq');
  await expect(page.getByRole('heading', { level: 2, name: 'Jobs' })).toBeVisible();

  await search.blur();
  await page.keyboard.press('g');
  await page.keyboard.press('u');
  await expect(page.getByRole('heading', { level: 2, name: 'Subscriptions' })).toBeVisible();
  await page.keyboard.press('Alt+4');
  await expect(page.getByRole('heading', { level: 2, name: 'Queues' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Settings', exact: true })).toHaveAttribute('title', 'Settings (G E)');

  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  await expect(help.getByRole('row').filter({ hasText: 'Go to Webhooks' })).toContainText('G H or Alt+9');
  await page.screenshot({ path: 'test-results/screens/keyboard-help.png' });
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);
});

test('a column header sorts the jobs table both ways and says so with aria-sort', async ({ page }) => {
  await openWithSyntheticJobs(page, 'jobs');
  const table = page.getByRole('table', { name: 'Jobs' });
  const created = table.getByRole('columnheader', { name: /Created/ });
  const attempts = table.getByRole('columnheader', { name: /Attempts/ });
  await expect(created).toHaveAttribute('aria-sort', 'descending');
  expect((await rowIds(page))[0]).toBe(syntheticJob(0).id);

  await attempts.getByRole('button').click();
  await expect(attempts).toHaveAttribute('aria-sort', 'ascending');
  await expect(created).not.toHaveAttribute('aria-sort');
  const cells = () => table.locator('tbody tr.job-row td.numeric').allInnerTexts();
  // Ascending by attempts; ties keep the newest first: jobs 1 and 4 are the newest with 1 attempt.
  await expect.poll(async () => (await rowIds(page)).slice(0, 2)).toEqual([syntheticJob(1).id, syntheticJob(4).id]);
  const ascending = (await cells()).map(Number);
  expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
  expect(ascending[0]).toBe(1);

  // Enter on the focused header reverses it.
  await attempts.getByRole('button').focus();
  await page.keyboard.press('Enter');
  await expect(attempts).toHaveAttribute('aria-sort', 'descending');
  await expect.poll(async () => (await rowIds(page)).slice(0, 2)).toEqual([syntheticJob(0).id, syntheticJob(3).id]);
  const descending = (await cells()).map(Number);
  expect(descending).toEqual([...descending].sort((a, b) => b - a));
  await expect(page.getByRole('status', { name: 'Jobs shown' })).toContainText('by attempts, descending');
  await page.screenshot({ path: 'test-results/screens/keyboard-sorted.png' });
});

test('Ctrl+K finds a held job by the start of its ID and goes to it; focus returns after Esc', async ({ page }) => {
  await openWithSyntheticJobs(page, 'overview');
  const target = syntheticJob(250);
  const before = page.getByRole('link', { name: 'Queues', exact: true });
  await before.focus();

  let palette = await openPalette(page);
  await palette.getByRole('combobox').fill('gq');
  await expect(palette.getByRole('option').first()).toHaveText(/Go to Queues/);
  await page.keyboard.press('Escape');
  await expect(palette).toHaveCount(0);
  await expect(before).toBeFocused();

  palette = await openPalette(page);
  const combobox = palette.getByRole('combobox');
  await combobox.fill(target.id.slice(0, 8));
  const option = palette.getByRole('option', { name: new RegExp(`Job ${target.id.slice(0, 8)}`) });
  await expect(option).toHaveAttribute('aria-selected', 'true');
  await expect(combobox).toHaveAttribute('aria-activedescendant', (await option.getAttribute('id'))!);
  await page.screenshot({ path: 'test-results/screens/keyboard-palette.png' });
  await page.keyboard.press('Enter');

  await expect(page.getByRole('heading', { level: 2, name: 'Jobs' })).toBeVisible();
  await expect(detailOf(page, target.id)).toBeVisible();
  // The row far down the virtual list was scrolled to and focused.
  await expect(page.getByRole('button', { name: `${target.id.slice(0, 8)}, show job details` })).toBeFocused();
});

test('Ctrl+K asks the API for a full job ID the console does not hold', async ({ page }) => {
  await openWithSyntheticJobs(page, 'jobs');
  const remote = { ...syntheticJob(0), id: 'feedface-0000-4000-8000-00000000beef', payload: { client_time: '2026-01-01T00:00:00.000Z' } };
  const asked: string[] = [];
  await page.route(`**/api/v1/jobs/${remote.id}`, (route) => {
    asked.push(route.request().url());
    return route.fulfill({ json: remote });
  });
  const palette = await openPalette(page);
  await palette.getByRole('combobox').fill(remote.id);
  const option = palette.getByRole('option', { name: /Job feedface/ });
  await expect(option).toBeVisible();
  expect(asked).toHaveLength(1);
  await page.keyboard.press('Enter');
  await expect(detailOf(page, remote.id)).toBeVisible();
  await expect(detailOf(page, remote.id).getByText(remote.id, { exact: true })).toBeVisible();

  // An ID the API does not know says so.
  const unknown = 'deadbeef-0000-4000-8000-000000000000';
  const again = await openPalette(page);
  await again.getByRole('combobox').fill(unknown);
  await expect(again.getByRole('status')).toHaveText(`No job ${unknown} in the history.`);
});

test('Ctrl+K runs actions: submit a job of a kind opens its form, and retry re-queues the failed open job', async ({ page, request }) => {
  // Nothing listens on port 9: the callback fails.
  const answer = await request.post('/api/v1/jobs', { data: { kind: 'callback', payload: { callback_url: 'http://127.0.0.1:9/nowhere', duration_ms: 10 } } });
  const job = (await answer.json()) as { id: string };
  await expect.poll(async () => ((await (await request.get(`/api/v1/jobs/${job.id}`)).json()) as { status: string }).status, { timeout: DONE_TIMEOUT_MS }).toBe('FAILED');

  await page.goto('/#/overview');
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  let palette = await openPalette(page);
  await palette.getByRole('combobox').fill('submit email');
  await expect(palette.getByRole('option').first()).toHaveText(/Submit a job: email \(C\)/);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 2, name: 'Submit a job' })).toBeVisible();
  await expect(page.locator('form.job-form[data-kind="email"] :is(input, textarea)').first()).toBeFocused();

  palette = await openPalette(page);
  await palette.getByRole('combobox').fill(job.id);
  await page.keyboard.press('Enter');
  await expect(detailOf(page, job.id)).toBeVisible();
  // No cancel for a FAILED job; retry is offered.
  palette = await openPalette(page);
  await palette.getByRole('combobox').fill('job');
  await expect(palette.getByRole('option', { name: new RegExp(`Cancel job ${job.id.slice(0, 8)}`) })).toHaveCount(0);
  await palette.getByRole('combobox').fill('retry');
  await expect(palette.getByRole('option').first()).toHaveText(new RegExp(`Retry job ${job.id.slice(0, 8)}`));
  await page.keyboard.press('Enter');
  await expect(detailOf(page, job.id).getByRole('status')).toHaveText('Queued again.');
});

test('the queues table sorts by a column header, both ways', async ({ page }) => {
  await page.goto('/#/queues');
  const table = page.getByRole('table', { name: 'Work queues' });
  const kind = table.getByRole('columnheader', { name: /Kind/ });
  const kindsShown = () => table.locator('tbody tr td:nth-of-type(1)').allInnerTexts();
  await expect(table.locator('tbody tr')).toHaveCount(3);
  await expect(kind).not.toHaveAttribute('aria-sort');
  await expectSortsBothWays(kind, kindsShown, ['callback (B)', 'email (C)', 'log (A)']);
});

/** A click on the header sorts ascending, Enter on it then descending; each says so with aria-sort. */
async function expectSortsBothWays(header: Locator, shown: () => Promise<string[]>, ascending: string[]): Promise<void> {
  await header.getByRole('button').click();
  await expect(header).toHaveAttribute('aria-sort', 'ascending');
  expect(await shown()).toEqual(ascending);
  await header.getByRole('button').press('Enter');
  await expect(header).toHaveAttribute('aria-sort', 'descending');
  expect(await shown()).toEqual([...ascending].reverse());
}

test('arrow keys move between the items of the webhooks inbox', async ({ page, request }) => {
  // Callbacks without a URL are POSTed to the console's own inbox.
  for (let i = 0; i < 2; i++) await request.post('/api/v1/jobs', { data: { kind: 'callback', payload: { duration_ms: 10 } } });
  await page.goto('/#/webhooks');
  const items = page.locator('.record-list button.record-item');
  await expect.poll(() => items.count(), { timeout: DONE_TIMEOUT_MS }).toBeGreaterThanOrEqual(2);
  await items.first().focus();
  await page.keyboard.press('ArrowDown');
  await expect(items.nth(1)).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(items.first()).toBeFocused();
  await page.keyboard.press('End');
  await expect(items.last()).toBeFocused();
});

/** A worker another process runs, as the workers report lists it. */
function otherWorker(pid: number, processed: number) {
  return {
    name: `far/${pid}`, slot: null, runs: 'standalone', host: 'far', kinds: ['log'], pid, state: 'ready', current_job: null,
    processed, failed: 0, retried: 0, started_at: '2026-01-01T00:00:00.000Z', uptime_ms: 60_000, memory_rss_bytes: 50_000_000, restarts: null,
  };
}

test('the workers table sorts by a column header, both ways, keeping what each column counts on hover', async ({ page }) => {
  const workers = [otherWorker(101, 7), otherWorker(102, 30), otherWorker(103, 2)];
  await page.route('**/api/v1/workers', (route) =>
    route.fulfill({ json: { workers, counts: { log: 0, callback: 0, email: 0 }, max_per_kind: 8, supervised: true, elsewhere_unknown: false } }),
  );
  await page.goto('/#/workers');
  const table = page.getByRole('table', { name: 'Worker processes' });
  const done = table.getByRole('columnheader', { name: /Done/ });
  const namesShown = () => table.locator('tbody tr th code').allInnerTexts();
  await expect(table.locator('tbody tr')).toHaveCount(3);
  await expect(done).toHaveAttribute('title', /finished DONE/);
  await expectSortsBothWays(done, namesShown, ['far/103', 'far/101', 'far/102']);
});
