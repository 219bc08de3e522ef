import { createServer } from 'node:net';
import { expect, test } from '@playwright/test';
import { E2E_SKIP_ENV } from './environment';
import { ownConsole } from './own-console';

const skipReason = process.env[E2E_SKIP_ENV];
test.skip(Boolean(skipReason), skipReason);

/** A port nothing listens on: a callback to it fails at once. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Runs in the page before its scripts: `Notification.permission` says `default` until the page
 * asks (the Allow button), and every notification the page makes is recorded in `shownNotifications`.
 */
const NOTIFICATION_SPY = `
  const Real = window.Notification;
  let asked = false;
  window.shownNotifications = [];
  class Spy extends Real {
    constructor(title, options) {
      super(title, options);
      window.shownNotifications.push({ title, body: options && options.body });
    }
    static get permission() { return asked ? Real.permission : 'default'; }
    static requestPermission() { asked = true; return Real.requestPermission(); }
  }
  window.Notification = Spy;
`;

type Shown = { title: string; body?: string }[];

test('a rule created in the Alerts view fires: the badge, its history and a desktop notification', async ({ page, context }) => {
  test.setTimeout(90_000);
  const own = await ownConsole({ JOBDECK_ALERT_EVAL_MS: '300' });
  try {
    await context.grantPermissions(['notifications'], { origin: own.url });
    await page.addInitScript({ content: NOTIFICATION_SPY });
    await page.goto(`${own.url}/#/alerts`);
    await expect(page.getByRole('heading', { name: 'Alerts', level: 2 })).toBeVisible();
    await page.getByRole('button', { name: 'Allow notifications' }).click();
    await expect(page.getByRole('button', { name: 'Allow notifications' })).toHaveCount(0);

    const form = page.getByRole('form', { name: 'Create an alert rule' });
    await form.getByLabel('Name').fill('Callbacks failing');
    await form.getByLabel('Type').selectOption('failure_rate');
    await form.getByLabel('Kind').selectOption('callback');
    await form.getByLabel('Threshold').fill('0.5');
    await form.getByLabel('Window (s)').fill('60');
    await form.getByRole('button', { name: 'Create rule' }).click();
    const rules = page.getByRole('list', { name: 'Alert rules' });
    await expect(rules.getByRole('button', { name: /Callbacks failing ok/ })).toBeVisible();
    await expect(page.getByText('Webhook signing secret: copy it now')).toBeVisible();

    const port = await closedPort();
    const submitted = await page.request.post(`${own.url}/api/v1/jobs`, {
      data: { kind: 'callback', payload: { callback_url: `http://127.0.0.1:${port}/`, duration_ms: 0 }, max_attempts: 1 },
    });
    expect(submitted.status()).toBe(202);

    const badge = page.getByRole('navigation', { name: 'Views' }).getByLabel('1 firing');
    await expect(badge).toBeVisible({ timeout: 30_000 });
    await expect(rules.getByRole('button', { name: /Callbacks failing firing/ })).toBeVisible();
    const history = page.getByRole('table', { name: 'Firing history' });
    await expect(history.getByRole('row')).toHaveCount(2);
    await expect(history).toContainText('1 of 1 callback jobs finished FAILED in the last 60 s');
    await expect.poll(() => page.evaluate(() => (globalThis as unknown as { shownNotifications: Shown }).shownNotifications)).toEqual([
      { title: 'Alert: Callbacks failing', body: expect.stringContaining('callback jobs finished FAILED') },
    ]);
    await page.screenshot({ path: 'test-results/alerts-view.png', fullPage: true });
  } finally {
    await own.stop();
  }
});
