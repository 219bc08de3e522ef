/**
 * The Electron window end to end: where the Electron binary is installed and a display exists,
 * launch the built app, check the window's security settings and submit a job through IPC.
 * Elsewhere (no binary: it cannot be downloaded on every machine) the test is skipped and says why.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { dropNamespace, uniqueNamespace } from '../support/namespace';
import { freePort } from '../support/free-port';
import { IPC_CHANNELS } from '../../src-shared/bridge';

const ELECTRON_DIR = join(process.cwd(), 'node_modules', 'electron');
const JOB_ID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

function electronBinary(): { path: string } | { skip: string } {
  const pathFile = join(ELECTRON_DIR, 'path.txt');
  if (!existsSync(pathFile)) return { skip: 'Electron runtime not installed (node_modules/electron/path.txt missing)' };
  const binary = join(ELECTRON_DIR, 'dist', readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(binary)) return { skip: `Electron binary missing at ${binary}` };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { skip: 'no display (DISPLAY/WAYLAND_DISPLAY unset) for the Electron window' };
  }
  return { path: binary };
}


/**
 * The verbs the preload must expose, one per IPC channel (a pushed event's channel as its `on…`
 * listener), so this list grows with the channels instead of going stale.
 */
function bridgeVerbs(): string[] {
  const pushed = new Set(['jobEvent', 'batchEvent', 'resync']);
  return Object.keys(IPC_CHANNELS)
    .map((name) => (pushed.has(name) ? `on${name[0]!.toUpperCase()}${name.slice(1)}` : name))
    .sort();
}

const found = electronBinary();

test('the Electron window shows health, submits a job over IPC, sees it reach DONE, and lists workers and queues', async () => {
  if ('skip' in found) console.log(`skipping the Electron window test: ${found.skip}`);
  test.skip('skip' in found, 'skip' in found ? found.skip : '');
  const namespace = uniqueNamespace('jdel');
  const app = await electron.launch({
    executablePath: (found as { path: string }).path,
    args: ['.', ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
    env: {
      ...process.env,
      JOBDECK_NAMESPACE: namespace,
      JOBDECK_PORT: String(await freePort()),
      JOBDECK_SMTP_SINK_PORT: '0',
      JOBDECK_WORKERS: 'A=1,B=0,C=0',
    },
  });
  try {
    const window = await app.firstWindow();
    // Context isolation and the sandbox: the page sees the bridge, never Node or ipcRenderer.
    const page = await window.evaluate(() => {
      const scope = globalThis as Record<string, unknown>;
      const bridge = scope.jobdeck as Record<string, unknown> | undefined;
      return {
        require: typeof scope.require,
        process: typeof scope.process,
        bridge: bridge ? Object.keys(bridge).sort() : [],
      };
    });
    expect(page).toEqual({
      require: 'undefined',
      process: 'undefined',
      bridge: bridgeVerbs(),
    });
    const nav = window.getByRole('navigation', { name: 'Views' });
    // Overview: health over IPC.
    await expect(window.getByRole('list', { name: 'Dependencies' }).getByRole('listitem').filter({ hasText: 'Redis' })).toContainText('up');
    await nav.getByRole('link', { name: 'Submit', exact: true }).click();
    const form = window.getByRole('form', { name: 'log (A)' });
    await form.getByRole('button', { name: 'Submit log job (A)' }).click();
    const accepted = form.getByRole('status');
    await expect(accepted).toContainText(JOB_ID);
    const id = JOB_ID.exec(await accepted.innerText())?.[0];
    if (!id) throw new Error(`no job ID in "${await accepted.innerText()}"`);
    await nav.getByRole('link', { name: 'Jobs', exact: true }).click();
    // This job's own row, not any job that happens to be DONE.
    const row = window
      .getByRole('table', { name: 'Jobs' })
      .getByRole('row')
      .filter({ has: window.getByRole('button', { name: `${id.slice(0, 8)}, show job details` }) });
    await expect(row.getByRole('cell').nth(2)).toHaveText('DONE', { timeout: 30_000 });
    // Workers and queues over IPC.
    await nav.getByRole('link', { name: 'Workers', exact: true }).click();
    await expect(window.getByRole('table', { name: 'Worker processes' }).getByRole('row').filter({ hasText: 'log-1' })).toContainText('ready');
    await nav.getByRole('link', { name: 'Queues', exact: true }).click();
    await expect(window.getByRole('table', { name: 'Work queues' }).getByRole('row').filter({ hasText: 'log (A)' })).toBeVisible();
    await window.screenshot({ path: 'test-results/screens/electron-queues.png' });
  } finally {
    await app.close();
    await dropNamespace(namespace);
  }
});
