import { expect, test, type Locator, type Page } from '@playwright/test';
import { E2E_SKIP_ENV } from './environment';

const skipReason = process.env[E2E_SKIP_ENV];
test.skip(Boolean(skipReason), skipReason);

/** Jobs of kind B run 300 ms here, and every kind really runs: allow for a cold worker. */
const DONE_TIMEOUT_MS = 45_000;
/** The Jobs table's cells: a selection checkbox, the ID, the kind, the status, … */
const KIND_CELL = 2;
const STATUS_CELL = 3;
const JOB_ID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

type KindName = 'log' | 'callback' | 'email';
type ViewName = 'Overview' | 'Submit' | 'Jobs' | 'Queues' | 'Workers' | 'Batches' | 'Mail' | 'Webhooks' | 'Subscriptions' | 'API' | 'Settings';
const LETTER: Record<KindName, string> = { log: 'A', callback: 'B', email: 'C' };

/** Saves a full-page screenshot under test-results/screens (ignored by git). */
async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });
}

function submitForm(page: Page, kind: KindName): Locator {
  return page.getByRole('form', { name: `${kind} (${LETTER[kind]})` });
}

/** Opens the console on a view and waits for its live feed, counting navigations to prove none follow. */
async function openConsole(page: Page, hash = 'submit'): Promise<() => number> {
  // Page loads only: a view change is a same-document hash change, not a load.
  let navigations = 0;
  page.on('domcontentloaded', () => {
    navigations += 1;
  });
  await page.goto(`/#/${hash}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Jobdeck' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  return () => navigations;
}

/** Opens a view by clicking its link in the navigation (a hash change, not a page load). */
async function goTo(page: Page, view: ViewName): Promise<void> {
  const link = page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: view, exact: true });
  await link.click();
  await expect(link).toHaveAttribute('aria-current', 'page');
}

/** Clicks the kind's submit button and returns the job ID the form shows as accepted. */
async function submit(page: Page, kind: KindName): Promise<string> {
  const form = submitForm(page, kind);
  const result = form.getByRole('status');
  const before = (await result.textContent()) ?? '';
  await form.getByRole('button', { name: `Submit ${kind} job (${LETTER[kind]})` }).click();
  await expect(result).not.toHaveText(before);
  await expect(result).toContainText(JOB_ID);
  const id = JOB_ID.exec(await result.innerText())?.[0];
  if (!id) throw new Error(`no job ID in "${await result.innerText()}"`);
  return id;
}

/** The details panel of a job, open beside the forms or the table. */
function detailOf(page: Page, id: string): Locator {
  return page.getByRole('region', { name: `Job ${id.slice(0, 8)}` });
}

async function expectDetailStatus(page: Page, id: string, status: string): Promise<void> {
  await expect(detailOf(page, id).getByRole('definition').filter({ hasText: status }).first()).toBeVisible({ timeout: DONE_TIMEOUT_MS });
}

/** The answer of a job action in its details panel; a refusal fails at once with its words. */
async function expectActionAnswer(detail: Locator, expected: string): Promise<void> {
  const status = detail.getByRole('status');
  await expect(status).toHaveText(new RegExp(`^${expected.replace('.', '\\.')}$|refused`));
  expect(await status.innerText()).toBe(expected);
}

function jobRow(page: Page, id: string): Locator {
  const table = page.getByRole('table', { name: 'Jobs' });
  return table.getByRole('row').filter({ has: page.getByRole('button', { name: `${id.slice(0, 8)}, show job details` }) });
}

async function expectDone(page: Page, id: string): Promise<void> {
  const row = jobRow(page, id);
  await expect(row).toHaveCount(1);
  await expect(row.getByRole('cell').nth(STATUS_CELL)).toHaveText('DONE', { timeout: DONE_TIMEOUT_MS });
}

/** Types the job's ID in the Jobs view's search box. */
async function search(page: Page, text: string): Promise<void> {
  await page.getByRole('searchbox', { name: 'Search' }).fill(text);
}

test('a log job submitted by clicking opens at once and reaches DONE without a reload', async ({ page }) => {
  const navigations = await openConsole(page);
  const clientTime = submitForm(page, 'log').getByRole('textbox', { name: /Client time/ });
  await clientTime.fill(String(Math.floor(Date.now() / 1000)));

  const id = await submit(page, 'log');

  await expect(detailOf(page, id)).toBeVisible();
  await expectDetailStatus(page, id, 'DONE');
  await expect(detailOf(page, id).getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
  await shot(page, 'submit-log-done');
  await goTo(page, 'Jobs');
  await search(page, id);
  await expectDone(page, id);
  await expect(jobRow(page, id).getByRole('cell').nth(KIND_CELL)).toHaveText('log (A)');
  await shot(page, 'jobs-search-by-id');
  expect(navigations()).toBe(1);
});

test('a callback job of 300 ms reaches DONE, and its webhook is in the inbox', async ({ page }) => {
  const navigations = await openConsole(page);
  await submitForm(page, 'callback').getByRole('textbox', { name: /Duration/ }).fill('300');

  const id = await submit(page, 'callback');

  await expectDetailStatus(page, id, 'DONE');
  await goTo(page, 'Webhooks');
  const list = page.getByRole('list', { name: 'Received webhooks' });
  const item = list.getByRole('button').filter({ hasText: id });
  await expect(item).toHaveCount(1, { timeout: 15_000 });
  await item.click();
  await expect(page.getByRole('region', { name: 'Webhook body' })).toContainText(id);
  await expect(page.getByRole('table', { name: 'Webhook headers' })).toContainText('webhook-id');
  await shot(page, 'webhooks');
  expect(navigations()).toBe(1);
});

test('an email job reaches DONE, and its message is in the mailbox, HTML in a sandboxed frame', async ({ page }) => {
  const navigations = await openConsole(page);
  const subject = `Jobdeck e2e ${Date.now()}`;
  await submitForm(page, 'email').getByRole('textbox', { name: /Subject/ }).fill(subject);

  const id = await submit(page, 'email');

  await expectDetailStatus(page, id, 'DONE');
  await goTo(page, 'Mail');
  const item = page.getByRole('list', { name: 'Received mail' }).getByRole('button').filter({ hasText: subject });
  await expect(item).toHaveCount(1, { timeout: 15_000 });
  await item.click();
  await expect(page.getByRole('heading', { name: subject })).toBeVisible();
  // The list has no bodies: the text is read whole through the bridge for the selected message.
  await expect(page.getByRole('region', { name: 'Text body of the message' })).toContainText(id);
  const frame = page.locator('iframe[title="HTML body of the message"]');
  if ((await frame.count()) > 0) await expect(frame).toHaveAttribute('sandbox', '');
  await shot(page, 'mail');
  expect(navigations()).toBe(1);
});

test("a job's details show its payload, result and a timeline from STARTED to DONE; search by payload text finds it", async ({ page }) => {
  await openConsole(page);
  await submitForm(page, 'callback').getByRole('textbox', { name: /Duration/ }).fill('321');
  const id = await submit(page, 'callback');
  await expectDetailStatus(page, id, 'DONE');

  await goTo(page, 'Jobs');
  await search(page, '"duration_ms":321');
  await expectDone(page, id);
  await jobRow(page, id).getByRole('cell').nth(KIND_CELL).click();

  const detail = detailOf(page, id);
  await expect(detail).toBeVisible();
  await expect(detail.getByText(id, { exact: true })).toBeVisible();
  await expect(detail.getByLabel('Payload')).toContainText('"duration_ms": 321');
  await expect(detail.getByLabel('Result')).toBeVisible();
  const timeline = detail.getByRole('list', { name: 'Timeline' });
  await expect(timeline.getByRole('listitem').filter({ hasText: 'STARTED' }).first()).toBeVisible();
  await expect(timeline.getByRole('listitem').filter({ hasText: 'DONE' })).toHaveCount(1);
  await expect(detail.getByRole('button', { name: 'Copy as curl' })).toBeVisible();

  // Closing gives focus to the row button of the job shown, even when opened by a click.
  const rowButton = page.getByRole('button', { name: `${id.slice(0, 8)}, show job details` });
  await expect(rowButton).toHaveAttribute('aria-current', 'true');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('region', { name: 'Job details' })).toBeVisible();
  await expect(rowButton).toBeFocused();

  // The same by keyboard: Enter on the row's button opens it, Escape gives focus back.
  await page.keyboard.press('Enter');
  await expect(detail).toBeVisible();
  await shot(page, 'job-detail');
  await detail.getByRole('heading', { level: 2 }).focus();
  await page.keyboard.press('Escape');
  await expect(rowButton).toBeFocused();
});

test('the status filter narrows the table and Clear filters brings every job back; arrows move between rows', async ({ page }) => {
  await openConsole(page);
  const older = await submit(page, 'log');
  const id = await submit(page, 'log');
  await expectDetailStatus(page, id, 'DONE');
  await goTo(page, 'Jobs');
  const newestButton = page.getByRole('button', { name: `${id.slice(0, 8)}, show job details` });
  await newestButton.focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('button', { name: `${older.slice(0, 8)}, show job details` })).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(newestButton).toBeFocused();
  await page.getByRole('combobox', { name: 'Status' }).selectOption('FAILED');
  await expect(jobRow(page, id)).toHaveCount(0);
  await page.getByRole('combobox', { name: 'Status' }).selectOption('DONE');
  await expectDone(page, id);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expectDone(page, id);
  await shot(page, 'jobs-filters');
});

test('a bad client_time is refused with an error naming the field, and nothing is submitted', async ({ page }) => {
  await openConsole(page);
  const form = submitForm(page, 'log');
  const clientTime = form.getByRole('textbox', { name: /Client time/ });

  await clientTime.fill('yesterday');
  await form.getByRole('button', { name: 'Submit log job (A)' }).click();

  await expect(clientTime).toHaveAttribute('aria-invalid', 'true');
  await expect(clientTime).toHaveAccessibleDescription(/client_time/);
  await expect(form.getByRole('alert')).toContainText('not valid');
  await expect(form.getByRole('status')).toHaveText('');
  await shot(page, 'submit-invalid');
});

test('raw JSON mode and copies: three email jobs from one click', async ({ page }) => {
  await openConsole(page);
  const form = submitForm(page, 'email');
  await form.getByRole('checkbox', { name: 'Edit as raw JSON' }).check();
  await form.getByRole('textbox', { name: /Payload as JSON/ }).fill('{"subject": "three copies"}');
  await form.getByRole('spinbutton', { name: 'Copies' }).fill('3');
  const id = await submit(page, 'email');
  await expect(form.getByRole('status')).toContainText('and 2 more');
  await expectDetailStatus(page, id, 'DONE');
  await shot(page, 'submit-raw-copies');
});

test('the overview counts jobs by status and shows every dependency up', async ({ page }) => {
  await openConsole(page, 'overview');
  const health = page.getByRole('list', { name: 'Dependencies' });
  for (const name of ['RabbitMQ', 'Redis', 'PostgreSQL', 'SMTP']) {
    await expect(health.getByRole('listitem').filter({ hasText: name })).toContainText('up');
  }
  await expect(page.getByRole('img', { name: /Jobs accepted and done per second/ })).toBeVisible();
  await shot(page, 'overview');
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, 'overview-dark');
});

/** The Workers view's row of one process. */
function workerRows(page: Page, kind: KindName): Locator {
  return page.getByRole('table', { name: 'Worker processes' }).getByRole('row').filter({ hasText: `${kind} (${LETTER[kind]})` });
}

test('scaling email workers up to 2 and back down to 1; restarting one gives it a new pid', async ({ page }) => {
  await openConsole(page, 'workers');
  await expect(workerRows(page, 'email')).toHaveCount(1);
  await page.getByRole('button', { name: 'One more email worker' }).click();
  await expect(workerRows(page, 'email')).toHaveCount(2);
  await expect(workerRows(page, 'email').filter({ hasText: 'ready' })).toHaveCount(2, { timeout: 30_000 });
  await shot(page, 'workers-scaled-up');

  await page.getByRole('button', { name: 'One fewer email worker' }).click();
  await expect(workerRows(page, 'email')).toHaveCount(1, { timeout: 30_000 });

  const row = workerRows(page, 'email').first();
  // A worker is named host/pid: a restarted slot runs a process of another name.
  const shownName = row.getByRole('rowheader').locator('code');
  const name = await shownName.innerText();
  expect(name).toMatch(/^.+\/\d+$/);
  await row.getByRole('button', { name: /^Restart worker email-\d+$/ }).click();
  await expect(shownName).not.toHaveText(name, { timeout: 30_000 });
  await expect(row).toContainText('ready', { timeout: 30_000 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, 'workers-dark');
});

test('a queued job is cancelled from its details (needs the cancel route)', async ({ page }) => {
  await openConsole(page, 'workers');
  // With no log worker, a log job stays QUEUED.
  await page.getByRole('button', { name: 'One fewer log worker' }).click();
  await expect(workerRows(page, 'log')).toHaveCount(0, { timeout: 30_000 });
  try {
    await goTo(page, 'Submit');
    const id = await submit(page, 'log');
    const detail = detailOf(page, id);
    await expectDetailStatus(page, id, 'QUEUED');
    await detail.getByRole('button', { name: 'Cancel job' }).click();
    await expectActionAnswer(detail, 'Cancelled.');
    await expectDetailStatus(page, id, 'CANCELLED');
    await shot(page, 'job-cancelled');
  } finally {
    await goTo(page, 'Workers');
    await page.getByRole('button', { name: 'One more log worker' }).click();
    await expect(workerRows(page, 'log')).toHaveCount(1);
  }
});

test("a running job's details follow its log lines live, and Cancel stops it", async ({ page }) => {
  await openConsole(page);
  await submitForm(page, 'callback').getByRole('textbox', { name: /Duration/ }).fill('30000');
  const id = await submit(page, 'callback');
  const detail = detailOf(page, id);
  await expectDetailStatus(page, id, 'IN PROGRESS');
  const log = detail.getByRole('log', { name: 'Logs' });
  await expect(log).toContainText('long task started: 30000 ms in 30 steps');
  // Read again while it runs: a later step shows without a click.
  await expect(log).toContainText('task progress: step 2 of 30 done', { timeout: 10_000 });
  await shot(page, 'job-logs-live');
  await detail.getByRole('button', { name: 'Cancel job' }).click();
  await expectActionAnswer(detail, 'Cancelled.');
  await expectDetailStatus(page, id, 'CANCELLED');
  await expect(log).toContainText('attempt 1 ended: long task stopped');
  await expect(log).toContainText('cancelled by an operator');
  await shot(page, 'job-logs-cancelled');
});

test('purging a queue says how many messages first, and the purged jobs end CANCELLED', async ({ page }) => {
  await openConsole(page, 'queues');
  const row = page.getByRole('table', { name: 'Work queues' }).getByRole('row').filter({ hasText: 'log (A)' });
  // An earlier test's message (a cancelled job's) may still wait for the log worker it restarted.
  await expect(row.getByRole('cell').nth(1)).toHaveText('0', { timeout: 30_000 });
  await goTo(page, 'Workers');
  await page.getByRole('button', { name: 'One fewer log worker' }).click();
  await expect(workerRows(page, 'log')).toHaveCount(0, { timeout: 30_000 });
  try {
    await goTo(page, 'Submit');
    const form = submitForm(page, 'log');
    await form.getByRole('spinbutton', { name: 'Copies' }).fill('3');
    const id = await submit(page, 'log');
    await goTo(page, 'Queues');
    await expect(row.getByRole('cell').nth(1)).toHaveText('3', { timeout: 15_000 });
    await row.getByRole('button', { name: 'Purge log queue' }).click();
    const confirm = page.getByRole('alertdialog');
    await expect(confirm).toContainText('Purge 3 messages');
    await expect(page.getByRole('img', { name: /^log \(A\): jobs accepted, attempts started and jobs finished per second/ })).toBeVisible();
    await shot(page, 'queues-purge-confirm');
    await confirm.getByRole('button', { name: 'Purge 3 messages' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Purged 3' })).toContainText('3 jobs ended CANCELLED');
    // Its figures say what they count: 3 accepted, none started, 3 finished (CANCELLED).
    const logRates = page.getByRole('region', { name: 'log (A)' }).locator('.legend-item');
    await expect(logRates.filter({ hasText: /^Accepted/ })).toContainText('· 3 in 5 min');
    await expect(logRates.filter({ hasText: /^Started/ })).toContainText('· 0 in 5 min');
    await expect(logRates.filter({ hasText: /^Finished/ })).toContainText('· 3 in 5 min');
    await expect(row.getByRole('cell').nth(1)).toHaveText('0');
    await goTo(page, 'Jobs');
    await search(page, id);
    await expect(jobRow(page, id).getByRole('cell').nth(STATUS_CELL)).toHaveText('CANCELLED');
  } finally {
    await goTo(page, 'Workers');
    await page.getByRole('button', { name: 'One more log worker' }).click();
    await expect(workerRows(page, 'log')).toHaveCount(1);
  }
});

test('a failed job is retried from its details (needs the retry route)', async ({ page }) => {
  await openConsole(page);
  const form = submitForm(page, 'callback');
  // Nothing listens on port 9: the callback fails.
  await form.getByRole('textbox', { name: /Callback URL/ }).fill('http://127.0.0.1:9/nowhere');
  await form.getByRole('textbox', { name: /Duration/ }).fill('10');
  const id = await submit(page, 'callback');
  await expectDetailStatus(page, id, 'FAILED');
  await shot(page, 'job-failed');
  await detailOf(page, id).getByRole('button', { name: 'Retry job' }).click();
  await expectActionAnswer(detailOf(page, id), 'Queued again.');
  await expect(detailOf(page, id).getByRole('term').filter({ hasText: 'Attempts' })).toBeVisible();
});

/** Lists the buttons, links and inputs of the page that have no accessible name at all. */
const UNNAMED_CONTROLS_SCRIPT = `[...document.querySelectorAll('button, a, input, select, textarea')]
  .filter((el) => !(el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || (el.labels && el.labels.length) || el.textContent.trim()))
  .map((el) => el.outerHTML.slice(0, 120))`;

test('every view has a heading and no control without a name, in light and dark', async ({ page }) => {
  await openConsole(page, 'overview');
  for (const view of ['Overview', 'Submit', 'Jobs', 'Queues', 'Workers', 'Batches', 'Mail', 'Webhooks', 'Subscriptions', 'API', 'Settings'] as const) {
    await goTo(page, view);
    await expect(page.getByRole('heading', { level: 2, name: view === 'Submit' ? 'Submit a job' : view })).toBeVisible();
    // Run in the page (a string, as this file is compiled without the DOM's types).
    const unnamed = await page.evaluate(UNNAMED_CONTROLS_SCRIPT);
    expect(unnamed, `unnamed controls in ${view}`).toEqual([]);
    await shot(page, `view-${view.toLowerCase()}`);
  }
  await page.emulateMedia({ colorScheme: 'dark' });
  await goTo(page, 'Jobs');
  await shot(page, 'jobs-dark');
  await goTo(page, 'Batches');
  await shot(page, 'batches-dark');
  await goTo(page, 'Subscriptions');
  await shot(page, 'subscriptions-dark');
  // Alt+3 opens Jobs, Alt+5 Workers, from the keyboard alone.
  await page.keyboard.press('Alt+5');
  await expect(page.getByRole('heading', { level: 2, name: 'Workers' })).toBeVisible();
  await page.keyboard.press('Alt+6');
  await expect(page.getByRole('heading', { level: 2, name: 'Batches' })).toBeVisible();
});

/** A finished job the server never saw, in the v1 shape, to feed the console by hand. */
function madeUpJob(id: string) {
  const at = new Date().toISOString();
  return {
    id,
    kind: 'log',
    type: 'A',
    status: 'DONE',
    payload: { client_time: 1_700_000_000 },
    progress: 100,
    attempts: 1,
    created_at: at,
    updated_at: at,
    transitions: [{ status: 'DONE', at, worker: 'e2e/1' }],
    result: null,
    error: null,
    version: 1,
  };
}

function sseFrame(id: string, data: unknown): string {
  return `id: ${id}\nevent: job\ndata: ${JSON.stringify(data)}\n\n`;
}

test('the live feed drops a malformed event, shows the next one, and resumes after the last it saw', async ({ page }) => {
  const good = madeUpJob('e2e00001-0000-4000-8000-000000000001');
  // Shown, it would fail the window (a status no view knows); checked, it never reaches a view.
  const bad = { ...madeUpJob('e2e00003-0000-4000-8000-000000000003'), status: null };
  const event = (job: { id: string }, id: string) => ({ id, job_id: job.id, kind: 'log', status: 'DONE', version: 1, job });
  const urls: string[] = [];
  await page.route('**/api/v1/events*', async (route) => {
    urls.push(route.request().url());
    if (urls.length === 1) {
      const body = `retry: 100\n\n${sseFrame('1-0', event(bad, '1-0'))}${sseFrame('2-0', event(good, '2-0'))}`;
      return route.fulfill({ status: 200, headers: { 'content-type': 'text/event-stream' }, body });
    }
    // The browser's own retry: refused, so it gives up and the console opens a new feed.
    if (urls.length === 2) return route.fulfill({ status: 503, body: '' });
    return route.continue();
  });
  await openConsole(page, 'jobs');

  await expect(jobRow(page, good.id).getByRole('cell').nth(STATUS_CELL)).toHaveText('DONE');
  await expect(jobRow(page, bad.id)).toHaveCount(0);
  await expect.poll(() => urls.length).toBeGreaterThanOrEqual(3);
  expect(new URL(urls[2]!).searchParams.get('last_event_id')).toBe('2-0');
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await shot(page, 'live-feed-resumed');
});

test('a job the console cannot show leaves a message and a Reload button, not a blank window', async ({ page }) => {
  const broken = { ...madeUpJob('e2e00002-0000-4000-8000-000000000002'), status: null };
  await page.route('**/api/v1/jobs?*', (route) =>
    route.request().method() === 'GET'
      ? route.fulfill({ json: { items: [broken], next_cursor: null } })
      : route.continue(),
  );
  await page.goto('/#/jobs');

  const alert = page.getByRole('alert').filter({ hasText: 'could not show' });
  await expect(alert).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'Jobdeck' })).toBeVisible();

  await page.unroute('**/api/v1/jobs?*');
  await alert.getByRole('button', { name: 'Reload' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Jobs' })).toBeVisible();
  await expect(alert).toHaveCount(0);
  await shot(page, 'render-failure-recovered');
});
