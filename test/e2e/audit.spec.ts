import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { E2E_SKIP_ENV } from './environment';

const skipReason = process.env[E2E_SKIP_ENV];
test.skip(Boolean(skipReason), skipReason);

test('the Audit view lists a submit and a refused request, filters them, and links the job', async ({ page, request }) => {
  const tag = `audit${randomBytes(4).toString('hex')}`;
  const submitted = await request.post('/api/v1/jobs', { data: { kind: 'email', payload: { subject: tag } } });
  expect(submitted.status()).toBe(202);
  const id = ((await submitted.json()) as { id: string }).id;
  expect((await request.post('/api/v1/jobs', { data: { kind: 'email', payload: { subject: tag, nope: 1 } } })).status()).toBe(400);
  await expect.poll(async () => ((await (await request.get(`/api/v1/audit?q=${tag}`)).json()) as { items: unknown[] }).items.length).toBe(2);

  await page.goto('/#/jobs');
  await page.keyboard.press('g');
  await page.keyboard.press('t');
  await expect(page).toHaveURL(/#\/audit$/);
  await expect(page.getByRole('heading', { name: 'Audit', level: 2 })).toBeVisible();

  const filters = page.getByRole('search', { name: 'Filter the audit trail' });
  await filters.getByLabel('Verb').fill('jobs.submit');
  await filters.getByLabel('Search').fill(tag);
  await filters.getByRole('button', { name: 'Filter' }).click();
  const table = page.getByRole('table', { name: 'Audit trail' });
  await expect(table.locator('tbody tr')).toHaveCount(2);
  const accepted = table.locator('tbody tr', { has: page.getByRole('link', { name: `Job ${id.slice(0, 8)}` }) });
  await expect(accepted).toContainText('local');
  await expect(accepted).toContainText('202 ok');
  await page.screenshot({ path: 'test-results/screens/audit.png', fullPage: true });

  await filters.getByLabel('Result').selectOption('refused');
  await filters.getByRole('button', { name: 'Filter' }).click();
  await expect(table.locator('tbody tr')).toHaveCount(1);
  await expect(table.locator('tbody tr')).toContainText('400 refused');

  await filters.getByLabel('Result').selectOption('ok');
  await filters.getByRole('button', { name: 'Filter' }).click();
  await table.getByRole('link', { name: `Job ${id.slice(0, 8)}` }).click();
  await expect(page).toHaveURL(new RegExp(`#/jobs/${id}$`));
});
