import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { E2E_SKIP_ENV } from './environment';
import { ownConsole } from './own-console';

const skipReason = process.env[E2E_SKIP_ENV];
test.skip(Boolean(skipReason), skipReason);

const JOB_ID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/**
 * A user kind whose form has one input of every type the form generates. Its workers run
 * elsewhere (`workers: 0`): this test is about the form, so its jobs stay queued.
 */
const RESIZE = {
  name: 'resize',
  description: 'Resizes an image',
  payload_schema: {
    type: 'object',
    required: ['url', 'width'],
    additionalProperties: false,
    properties: {
      url: { type: 'string', title: 'Image URL', format: 'uri' },
      width: { type: 'integer', minimum: 1, default: 640 },
      format: { enum: ['png', 'jpeg', 'webp'], default: 'png' },
      sharpen: { type: 'boolean' },
      tags: { type: 'array', items: { type: 'string' } },
      crop: { type: 'object', properties: { x: { type: 'integer' }, y: { type: 'integer' } } },
      meta: { type: 'object', additionalProperties: true, description: 'Anything else.' },
    },
  },
  handler: { command: ['./resize.sh'] },
  workers: 0,
};

/** The error shown under an input, found through the input's own `aria-describedby`. */
async function errorOf(form: Locator, input: Locator): Promise<Locator> {
  const described = (await input.getAttribute('aria-describedby')) ?? '';
  const errorId = described.split(' ').find((id) => id.endsWith('-error'));
  if (!errorId) throw new Error(`the input has no error tied to it (aria-describedby="${described}")`);
  return form.locator(`[id="${errorId}"]`);
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });
}

test.describe('a user kind on Submit', () => {
  let folder: string;
  let app: { url: string; stop: () => Promise<void> };

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    folder = mkdtempSync(join(tmpdir(), 'jobdeck-kinds-e2e-'));
    writeFileSync(join(folder, 'resize.sh'), '#!/bin/sh\necho \'{"result":{}}\'\n');
    chmodSync(join(folder, 'resize.sh'), 0o755);
    writeFileSync(join(folder, 'kinds.json'), JSON.stringify({ kinds: [RESIZE] }));
    app = await ownConsole({ JOBDECK_KINDS: join(folder, 'kinds.json') });
  });

  test.afterAll(async () => {
    await app?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  test("gets a form generated from its schema, shows the API's message at a bad field, and submits a good payload", async ({ page }) => {
    await page.goto(`${app.url}/#/submit`);
    await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
    // The built-in kinds keep their own forms beside it.
    await expect(page.getByRole('button', { name: 'Submit log job (A)' })).toBeVisible();
    const form = page.getByRole('form', { name: 'resize', exact: true });
    await expect(form).toBeVisible();

    // Generated from the schema: every type its input, the default filled in.
    const url = form.getByRole('textbox', { name: /^Image URL/ });
    const width = form.getByRole('textbox', { name: /^width/ });
    await expect(width).toHaveValue('640');
    await expect(form.getByRole('combobox', { name: /^format/ })).toHaveValue('0');
    await expect(form.getByRole('checkbox', { name: /^sharpen/ })).not.toBeChecked();
    await expect(form.getByRole('group', { name: /^crop/ }).getByRole('textbox', { name: /^x/ })).toBeVisible();
    await expect(form.getByRole('textbox', { name: /^meta/ })).toHaveJSProperty('tagName', 'TEXTAREA');

    // A bad field: the API's dry run names it, and its message shows under that input.
    await url.fill('https://images.example/cat.png');
    await width.fill('0');
    await form.getByRole('button', { name: 'Check with the API' }).click();
    await expect(width).toHaveAttribute('aria-invalid', 'true');
    await expect(await errorOf(form, width)).toHaveText('width must be >= 1');
    await expect(url).not.toHaveAttribute('aria-invalid');
    await shot(page, 'kinds-form-invalid');

    // The same refusal from a submit, with a list item and a nested field filled in.
    await form.getByRole('button', { name: 'Add tags item' }).click();
    await form.getByRole('group', { name: /^tags/ }).getByRole('textbox', { name: /^Item 1/ }).fill('thumb');
    await form.getByRole('group', { name: /^crop/ }).getByRole('textbox', { name: /^x/ }).fill('12');
    await form.getByRole('checkbox', { name: /^sharpen/ }).check();
    await form.getByRole('combobox', { name: /^format/ }).selectOption({ label: 'webp' });
    await form.getByRole('button', { name: 'Submit resize job', exact: true }).click();
    await expect(await errorOf(form, width)).toHaveText('width must be >= 1');

    // Corrected: the dry run accepts it, and a submit is accepted with a job ID.
    await width.fill('800');
    await form.getByRole('button', { name: 'Check with the API' }).click();
    await expect(form.getByRole('status').filter({ hasText: 'The API accepts this payload.' })).toBeVisible();
    await expect(width).not.toHaveAttribute('aria-invalid');
    await form.getByRole('button', { name: 'Submit resize job', exact: true }).click();
    const accepted = form.getByRole('status').filter({ hasText: 'Accepted job' });
    await expect(accepted).toContainText(JOB_ID);
    const id = JOB_ID.exec(await accepted.innerText())![0];
    await shot(page, 'kinds-form-accepted');

    const job = (await (await fetch(`${app.url}/api/v1/jobs/${id}`)).json()) as { kind: string; type: string; payload: unknown };
    expect(job).toMatchObject({
      kind: 'resize',
      type: 'resize',
      payload: { url: 'https://images.example/cat.png', width: 800, format: 'webp', sharpen: true, tags: ['thumb'], crop: { x: 12 } },
    });
  });
});
