import { expect, test, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { E2E_SKIP_ENV } from './environment';

const skipReason = process.env[E2E_SKIP_ENV];
test.skip(Boolean(skipReason), skipReason);

const JOB_ID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** `npm run worker -- --kind callback` (the built entry) in the console's namespace, as an operator starts one by hand. */
function startWorkerByHand(namespace: string): ChildProcess {
  return spawn(process.execPath, [join(process.cwd(), 'out/main/worker.js'), '--kind', 'callback'], {
    env: { ...process.env, JOBDECK_NAMESPACE: namespace },
    stdio: 'ignore',
  });
}

function stopped(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function scaleCallback(page: Page, count: number): Promise<void> {
  const answer = await page.request.put('/api/v1/workers/callback', { data: { count } });
  expect(answer.status()).toBe(202);
}

async function goTo(page: Page, view: string): Promise<void> {
  const link = page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: view, exact: true });
  await link.click();
  await expect(link).toHaveAttribute('aria-current', 'page');
}

test('a worker started by hand shows in Workers under the name its jobs\' timelines show, and leaves once stopped', async ({ page }) => {
  const settings = await (await page.request.get('/api/v1/settings')).json();
  // The console's own callback worker steps aside, so the job goes to the one started by hand.
  await scaleCallback(page, 0);
  const worker = startWorkerByHand(settings.namespace as string);
  const name = `${hostname()}/${worker.pid}`;
  try {
    await page.goto('/#/workers');
    await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
    const table = page.getByRole('table', { name: 'Worker processes' });
    const row = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${name}\\s+callback \\(B\\)$`) }) });
    await expect(row).toContainText('by hand');
    await expect(row).toContainText('ready');
    // Only this console's own slots can be restarted or stopped from here.
    await expect(row.getByRole('button')).toHaveCount(0);

    await goTo(page, 'Submit');
    const form = page.getByRole('form', { name: 'callback (B)' });
    await form.getByRole('button', { name: 'Submit callback job (B)' }).click();
    await expect(form.getByRole('status')).toContainText(JOB_ID);
    const id = JOB_ID.exec(await form.getByRole('status').innerText())![0];
    const detail = page.getByRole('region', { name: `Job ${id.slice(0, 8)}` });
    await expect(detail.getByRole('definition').filter({ hasText: 'DONE' }).first()).toBeVisible({ timeout: 30_000 });
    // The timeline names the worker that ran it exactly as the Workers view does.
    await expect(detail.getByText(name, { exact: true }).first()).toBeVisible();

    await goTo(page, 'Workers');
    // Done counts jobs (a job an earlier test left waiting for a retry may be done here too).
    await expect(row.getByRole('cell').nth(3)).toHaveText(/^[1-9]\d*$/);
    await expect(table.getByRole('columnheader', { name: 'Failed' })).toHaveAttribute('title', /one per job/);
    await page.screenshot({ path: 'test-results/screens/workers-by-hand.png', fullPage: true });

    await stopped(worker);
    await expect(row).toHaveCount(0);
  } finally {
    await stopped(worker);
    await scaleCallback(page, 1);
  }
});
