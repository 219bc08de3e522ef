import { randomBytes } from 'node:crypto';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { E2E_SKIP_ENV } from './environment';

const skipReason = process.env[E2E_SKIP_ENV];
test.skip(Boolean(skipReason), skipReason);

async function submitEmail(request: APIRequestContext, subject: string): Promise<string> {
  const response = await request.post('/api/v1/jobs', { data: { kind: 'email', payload: { subject } } });
  expect(response.status()).toBe(202);
  return ((await response.json()) as { id: string }).id;
}

const short = (id: string) => id.slice(0, 8);

test('a deep link #/jobs?q=… opens exactly that query, and a saved view is saved, picked and deleted', async ({ page, request }) => {
  const tag = `saved${randomBytes(4).toString('hex')}`;
  const mine = await submitEmail(request, tag);
  const other = await submitEmail(request, `other ${tag.slice(0, 6)}`);
  const query = `kind:email ${tag}`;
  await expect
    .poll(async () => ((await (await request.get(`/api/v1/jobs?${new URLSearchParams({ q: query }).toString()}`)).json()) as { items: unknown[] }).items.length)
    .toBe(1);

  await page.goto(`/#/jobs?${new URLSearchParams({ q: query }).toString()}`);
  const search = page.getByRole('searchbox', { name: 'Search' });
  await expect(search).toHaveValue(query);
  const table = page.getByRole('table', { name: 'Jobs' });
  await expect(table.getByRole('button', { name: `${short(mine)}, show job details` })).toBeVisible();
  await expect(table.getByRole('button', { name: `${short(other)}, show job details` })).toHaveCount(0);

  const name = `Mail ${tag}`;
  await page.getByRole('button', { name: 'Save view…' }).click();
  await page.getByRole('textbox', { name: 'Name of this view' }).fill(name);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const picker = page.getByRole('combobox', { name: 'Saved view' });
  await expect(picker.locator('option:checked')).toHaveText(name);

  // The same name again is refused, and says why.
  await page.getByRole('button', { name: 'Save view…' }).click();
  await page.getByRole('textbox', { name: 'Name of this view' }).fill(name);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('is taken by another saved view');
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();

  // Picking it in a fresh window sets the query, and the address follows.
  const fresh = await page.context().newPage();
  await fresh.goto('/#/jobs');
  const freshSearch = fresh.getByRole('searchbox', { name: 'Search' });
  await expect(freshSearch).toHaveValue('');
  const freshPicker = fresh.getByRole('combobox', { name: 'Saved view' });
  await freshPicker.selectOption({ label: name });
  await expect(freshSearch).toHaveValue(query);
  await expect(fresh).toHaveURL(new RegExp(`#/jobs\\?q=${encodeURIComponent(query).replaceAll('%20', '\\+')}$`));
  const freshTable = fresh.getByRole('table', { name: 'Jobs' });
  await expect(freshTable.getByRole('button', { name: `${short(mine)}, show job details` })).toBeVisible();
  await expect(freshTable.getByRole('button', { name: `${short(other)}, show job details` })).toHaveCount(0);
  await fresh.screenshot({ path: 'test-results/screens/jobs-saved-view.png' });

  await fresh.getByRole('button', { name: `Delete saved view ${name}` }).click();
  await expect(freshPicker.getByRole('option', { name })).toHaveCount(0);
  await fresh.close();
  const listed = (await (await request.get('/api/v1/saved-views')).json()) as { items: { name: string }[] };
  expect(listed.items.map((view) => view.name)).not.toContain(name);
});
