/**
 * The Electron window end to end: where the Electron binary is installed and a display exists,
 * launch the built app, check the window's security settings and its shell verbs, and submit a
 * job over the HTTP API, as the page does in a browser, and check the native menu (every view, its
 * keys, and that it opens the view). The tray cannot be read from outside the app (Electron
 * lists no trays): its counts are unit-tested (test/unit/main/tray-state.test.ts). Elsewhere (no binary: it cannot be
 * downloaded on every machine) the test is skipped and says why.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { dropNamespace, uniqueNamespace } from '../support/namespace';
import { freePort } from '../support/free-port';
import { SHELL_CHANNELS } from '../../src-shared/bridge';
import { VIEW_LETTER, VIEW_TITLES, VIEWS } from '../../src-shared/views';

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

const found = electronBinary();

test('the Electron window talks HTTP to its console, shows health, submits a job, sees it reach DONE, and lists workers and queues', async () => {
  if ('skip' in found) console.log(`skipping the Electron window test: ${found.skip}`);
  test.skip('skip' in found, 'skip' in found ? found.skip : '');
  const namespace = uniqueNamespace('jdel');
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
  const app = await electron.launch({
    executablePath: (found as { path: string }).path,
    args: ['.', ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
    env: {
      ...process.env,
      JOBDECK_NAMESPACE: namespace,
      JOBDECK_PORT: String(port),
      JOBDECK_SMTP_SINK_PORT: '0',
      JOBDECK_WORKERS: 'A=1,B=0,C=0',
    },
  });
  try {
    const window = await app.firstWindow();
    const requests: string[] = [];
    window.on('request', (request) => requests.push(`${request.method()} ${request.url()}`));
    // Context isolation and the sandbox: the page sees the shell verbs only, never Node,
    // ipcRenderer or an API bridge (the API is HTTP, on the origin the page came from).
    const page = await window.evaluate(async () => {
      const scope = globalThis as Record<string, unknown>;
      const shell = scope.jobdeckShell as Record<string, (...args: unknown[]) => Promise<unknown>> | undefined;
      return {
        require: typeof scope.require,
        process: typeof scope.process,
        jobdeck: typeof scope.jobdeck,
        shell: shell ? Object.keys(shell).sort() : [],
        origin: (scope.location as { origin: string }).origin,
        version: await shell?.appVersion?.(),
        openFile: await shell?.openExternal?.('file:///etc/passwd'),
      };
    });
    expect(page).toEqual({
      require: 'undefined',
      process: 'undefined',
      jobdeck: 'undefined',
      shell: Object.keys(SHELL_CHANNELS).sort(),
      origin,
      version,
      openFile: false,
    });
    const nav = window.getByRole('navigation', { name: 'Views' });
    // Overview: health over HTTP.
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
    await expect(row.getByRole('cell').nth(3)).toHaveText('DONE', { timeout: 30_000 }); // after the checkbox, ID and kind
    // Workers and queues over HTTP, to the console's own origin.
    await nav.getByRole('link', { name: 'Workers', exact: true }).click();
    await expect(window.getByRole('table', { name: 'Worker processes' }).getByRole('row').filter({ hasText: 'log-1' })).toContainText('ready');
    await nav.getByRole('link', { name: 'Queues', exact: true }).click();
    await expect(window.getByRole('table', { name: 'Work queues' }).getByRole('row').filter({ hasText: 'log (A)' })).toBeVisible();
    await window.screenshot({ path: 'test-results/screens/electron-queues.png' });
    expect(requests).toEqual(expect.arrayContaining([`POST ${origin}/api/v1/jobs`, `GET ${origin}/api/v1/workers`, `GET ${origin}/api/v1/queues`]));
    // The shell's one use in the page: the Settings view names the desktop app's version.
    await nav.getByRole('link', { name: 'Settings', exact: true }).click();
    await expect(window.getByText(`Jobdeck ${version}, desktop window.`)).toBeVisible();
    // The native menu: every view in Go, with its keys; choosing one shows it through its hash route.
    const goItems = await app.evaluate(({ Menu }) =>
      (Menu.getApplicationMenu()?.getMenuItemById('go')?.submenu?.items ?? []).map((item) => ({ id: item.id, label: item.label, accelerator: item.accelerator ?? null })),
    );
    expect(goItems).toEqual(
      VIEWS.map((view, index) => ({
        id: `view-${view}`,
        label: `${VIEW_TITLES[view]}  (G ${VIEW_LETTER[view].toUpperCase()})`,
        accelerator: index < 9 ? `Alt+${index + 1}` : null,
      })),
    );
    await app.evaluate(({ Menu }) => Menu.getApplicationMenu()?.getMenuItemById('view-alerts')?.click());
    await expect(window).toHaveURL(`${origin}/#/alerts`);
    await expect(nav.getByRole('link', { name: 'Alerts', exact: true })).toHaveAttribute('aria-current', 'page');
  } finally {
    await app.close();
    await dropNamespace(namespace);
  }
});
