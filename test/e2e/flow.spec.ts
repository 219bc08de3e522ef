import { expect, test } from '@playwright/test';
import { E2E_SKIP_ENV } from './environment';
import { ownConsole } from './own-console';

const skipReason = process.env[E2E_SKIP_ENV];
test.skip(Boolean(skipReason), skipReason);

/** Pause and limits from the Queues view, on a console of its own (a pause would hold other tests' jobs). */
test.describe('pause and limits in Queues', () => {
  let app: Awaited<ReturnType<typeof ownConsole>>;

  test.beforeAll(async () => {
    app = await ownConsole();
  });

  test.afterAll(async () => {
    await app?.stop();
  });

  test('pauses a kind (a submitted job waits, QUEUED) and resumes it (the job runs), and sets and refuses limits', async ({ page }) => {
    await page.goto(`${app.url}/#/queues`);
    const flow = page.getByRole('table', { name: 'Pause and limits per kind' });
    const emailRow = flow.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /^email \(C\)/ }) });
    await emailRow.getByRole('button', { name: 'Pause email' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'email: paused' })).toBeVisible();
    await expect(emailRow.getByRole('rowheader')).toContainText('Paused');
    const queues = page.getByRole('table', { name: 'Work queues' });
    await expect(queues.getByRole('row').filter({ hasText: `email (C)` })).toContainText('Paused');
    // Its worker follows: no consumer on the queue.
    await expect(queues.getByRole('row').filter({ hasText: 'email (C)' }).getByRole('cell').nth(3)).toHaveText('0');

    const submitted = await page.request.post(`${app.url}/api/v1/jobs`, { data: { kind: 'email', payload: { subject: 'waits for the resume' } } });
    expect(submitted.status()).toBe(202);
    const { id } = (await submitted.json()) as { id: string };
    await page.waitForTimeout(1_500);
    expect(((await (await page.request.get(`${app.url}/api/v1/jobs/${id}`)).json()) as { status: string }).status).toBe('QUEUED');

    await page.screenshot({ path: 'test-results/screens/flow-paused.png', fullPage: true });
    await emailRow.getByRole('button', { name: 'Resume email' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'email: running' })).toBeVisible();
    await expect.poll(async () => ((await (await page.request.get(`${app.url}/api/v1/jobs/${id}`)).json()) as { status: string }).status).toBe('DONE');

    const limits = emailRow.getByRole('form', { name: 'Limits of email' });
    await limits.getByLabel('email jobs started per second').fill('20');
    await limits.getByLabel('email jobs in flight').fill('2');
    await limits.getByRole('button', { name: 'Set limits' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'email: running; limits 20/s, 2 in flight' })).toBeVisible();
    expect(await (await page.request.get(`${app.url}/api/v1/kinds/email/limits`)).json()).toMatchObject({ rate_per_s: 20, concurrency: 2 });

    await limits.getByLabel('email jobs in flight').fill('0');
    await limits.getByRole('button', { name: 'Set limits' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'email: refused' })).toContainText('concurrency must be at least 1');
    expect(await (await page.request.get(`${app.url}/api/v1/kinds/email/limits`)).json()).toMatchObject({ concurrency: 2 });
    await page.screenshot({ path: 'test-results/screens/flow-limits.png', fullPage: true });

    await page.goto(`${app.url}/#/overview`);
    await expect(page.getByRole('region', { name: 'Pause and limits' })).toContainText('20/s · 2 in flight');
  });
});
