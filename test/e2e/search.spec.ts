import { expect, test, type APIRequestContext } from '@playwright/test';
import { E2E_SKIP_ENV } from './environment';

const skipReason = process.env[E2E_SKIP_ENV];
test.skip(Boolean(skipReason), skipReason);

/** More than the Jobs view's first page (50): the job submitted before them is not held when it opens. */
const NEWER_JOBS = 60;

async function submitLog(request: APIRequestContext, clientTime: number): Promise<string> {
  const response = await request.post('/api/v1/jobs', { data: { kind: 'log', payload: { client_time: clientTime } } });
  expect(response.status()).toBe(202);
  return ((await response.json()) as { id: string }).id;
}

test('a query in the Jobs view finds a job beyond the ones it holds, and a bad one says where it goes wrong', async ({ page, request }) => {
  const id = await submitLog(request, 1_700_000_000);
  for (let n = 1; n <= NEWER_JOBS; n++) await submitLog(request, 1_700_000_000 + n);
  // The history records from the event stream: wait until the job is searchable there.
  await expect
    .poll(async () => ((await (await request.get(`/api/v1/jobs?q=${encodeURIComponent(`id:${id}`)}`)).json()) as { items: unknown[] }).items.length)
    .toBe(1);

  await page.goto('/#/jobs');
  const table = page.getByRole('table', { name: 'Jobs' });
  const row = table.getByRole('row').filter({ has: page.getByRole('button', { name: `${id.slice(0, 8)}, show job details` }) });
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  await expect(row).toHaveCount(0);

  const search = page.getByRole('searchbox', { name: 'Search' });
  await search.fill(`kind:log id:${id.slice(0, 13)} -status:FAILED`);
  await expect(row).toHaveCount(1);
  await expect(page.getByText('A query: the whole history is searched, newest first.')).toBeVisible();

  // The export links ask the server for the same matches, streamed.
  await page.getByRole('combobox', { name: 'Status' }).selectOption('DONE');
  const csv = page.getByRole('link', { name: 'CSV' });
  const href = await csv.getAttribute('href');
  expect(new URL(href!, page.url()).searchParams.get('q')).toBe(`kind:log id:${id.slice(0, 13)} -status:FAILED status:"DONE"`);
  await expect.poll(async () => (await (await request.get(href!)).text()).split('\r\n').filter((line) => line.startsWith(id)).length).toBe(1);
  await page.getByRole('combobox', { name: 'Status' }).selectOption('');

  await search.fill('kind:log status:');
  await expect(page.getByText('Not a query (column 17: expected a value after "status:"): matched as plain text.')).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/jobs-query-error.png' });

  // The address holds the search and the job shown: a link opens exactly that.
  const query = `kind:log id:${id.slice(0, 8)}`;
  await search.fill(query);
  await row.getByRole('button', { name: `${id.slice(0, 8)}, show job details` }).click();
  await expect(page).toHaveURL(new RegExp(`#/jobs\\?q=${encodeURIComponent(query).replaceAll('%20', '\\+')}&job=${id}$`));
  const link = page.url();
  const other = await page.context().newPage();
  await other.goto(link);
  await expect(other.getByRole('searchbox', { name: 'Search' })).toHaveValue(query);
  await expect(other.getByRole('region', { name: `Job ${id.slice(0, 8)}` })).toBeVisible();
  await other.close();
});
