import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { E2E_SKIP_ENV } from './environment';

const skipReason = process.env[E2E_SKIP_ENV];
test.skip(Boolean(skipReason), skipReason);

test('the Schedules view: the cron field explains itself, a schedule is created, shows its next runs, is triggered and paused', async ({ page, request }) => {
  const tag = `sched${randomBytes(4).toString('hex')}`;
  await page.goto('/#/schedules');
  await expect(page.getByRole('heading', { name: 'Schedules', level: 2 })).toBeVisible();
  const form = page.getByRole('form', { name: 'Create a schedule' });
  await form.getByLabel('Kind').selectOption('email');
  await form.getByLabel('Payload (JSON)').fill(JSON.stringify({ subject: tag }));

  // The cron field says what it means as it is typed, or why it does not read.
  const cron = form.getByLabel('Cron');
  await cron.fill('0 30 2 * * 1-5');
  await expect(form.locator('.cron-words')).toHaveText('At 02:30, Monday through Friday');
  await cron.fill('61 * * * *');
  await expect(form.getByText('Invalid value for minute: 61')).toBeVisible();
  await cron.fill('*/2 * * * * *');
  await expect(form.locator('.cron-words')).toHaveText('Every 2 seconds');
  await form.getByLabel('Time zone').fill('Europe/Berlin');
  await form.getByRole('button', { name: 'Create schedule' }).click();

  const detail = page.locator('article.schedule-detail');
  await expect(detail.locator('dd.cron-words')).toHaveText('Every 2 seconds');
  await expect(detail.getByText('Europe/Berlin', { exact: true })).toBeVisible();
  const nextRuns = detail.locator('ol.next-runs li');
  await expect(nextRuns).toHaveCount(5);
  const id = (await detail.getByRole('link', { name: /^Schedule / }).textContent())!.trim();
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  await expect(page).toHaveURL(/#\/schedules/);

  // The list shows it: kind, cron in words, zone.
  const listed = page.getByRole('navigation', { name: 'Schedules' }).getByRole('button', { name: /email · Every 2 seconds/ }).first();
  await expect(listed).toContainText('Europe/Berlin');

  await expect(detail.getByRole('table').locator('tbody tr').first()).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/schedules.png', fullPage: true });

  await detail.getByRole('button', { name: 'Pause' }).click();
  await expect(detail.getByText('None while paused.')).toBeVisible();
  await expect(detail.getByRole('button', { name: 'Resume' })).toBeVisible();

  await detail.getByRole('button', { name: 'Trigger now' }).click();
  await expect(detail.getByText('Run submitted.')).toBeVisible();
  const runs = detail.getByRole('table').locator('tbody tr');
  await expect(runs.filter({ hasText: '(triggered)' })).toHaveCount(1);
  await expect(runs.first().getByRole('link', { name: /^Job / })).toBeVisible();
  await expect(runs.first().locator('.status-badge')).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/schedules-paused.png', fullPage: true });

  // The job link opens the job in Jobs; its run carries the schedule.
  const jobs = (await (await request.get(`/api/v1/jobs?q=${encodeURIComponent(`schedule:${id}`)}`)).json()) as { items: { schedule_id: string }[] };
  expect(jobs.items.every((job) => job.schedule_id === id)).toBe(true);

  // The run's job link opens it in Jobs, whose details link back to the schedule (#/schedules/<id>).
  await runs.first().getByRole('link', { name: /^Job / }).click();
  await expect(page).toHaveURL(/#\/jobs\//);
  await page.getByRole('link', { name: `Schedule ${id.slice(0, 8)}` }).first().click();
  await expect(page).toHaveURL(new RegExp(`#/schedules/${id}$`));
  await expect(detail.locator('dd.cron-words')).toHaveText('Every 2 seconds');

  await detail.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('button', { name: 'Delete schedule' }).click();
  await expect(page.locator('article.schedule-detail')).toHaveCount(0);
  expect((await request.get(`/api/v1/schedules/${id}`)).status()).toBe(404);
});
