// Unit tests for `npm run dist` (scripts/dist.mjs) and the fuses it packages with
// (scripts/electron-fuses.mjs, electron-builder.config.mjs): the runtime fetch and the build steps
// are injected, so nothing is downloaded or packaged here.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FuseV1Options } from '@electron/fuses';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs script without type declarations
import * as distScript from '../../../scripts/dist.mjs';
// @ts-expect-error -- a plain .mjs script without type declarations
import { JOBDECK_FUSES } from '../../../scripts/electron-fuses.mjs';
// @ts-expect-error -- a plain .mjs config without type declarations
import builderConfig from '../../../electron-builder.config.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
type Step = { name: string; command: string; args: string[] };

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A repo root with node_modules/electron at 45.5.0, its runtime installed or not. */
function fakeRoot(installed: boolean): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'jobdeck-dist-test-'));
  roots.push(root);
  const pkg = path.join(root, 'node_modules', 'electron');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ version: '45.5.0' }));
  if (installed) installRuntime(root);
  return root;
}

function installRuntime(root: string): void {
  const pkg = path.join(root, 'node_modules', 'electron');
  mkdirSync(path.join(pkg, 'dist'), { recursive: true });
  writeFileSync(path.join(pkg, 'dist', 'electron'), '');
  writeFileSync(path.join(pkg, 'path.txt'), 'electron');
}

/** Runs dist with its steps recorded (each succeeding, or failing when named in `failing`). */
async function runDist(root: string, fetched: { ok: boolean; reason?: string }, failing: string[] = []) {
  const lines: string[] = [];
  const steps: string[] = [];
  const code = await distScript.dist({
    root,
    env: {},
    out: (line: string) => lines.push(line),
    fetchRuntime: async () => (fetched.ok && installRuntime(root), fetched),
    run: async (step: Step) => {
      steps.push(step.name);
      if (failing.includes(step.name)) return `${step.name} failed (exit 1)`;
      if (step.name === 'electron-builder') {
        mkdirSync(path.join(root, 'dist'), { recursive: true });
        for (const name of ['Jobdeck-0.1.0.AppImage', 'jobdeck_0.1.0_amd64.deb', 'builder-debug.yml']) writeFileSync(path.join(root, 'dist', name), '');
      }
      return null;
    },
  });
  return { code, lines, steps };
}

describe('npm run dist', () => {
  it('where the runtime cannot be fetched, says why in one line, builds nothing and exits 2', async () => {
    const result = await runDist(fakeRoot(false), { ok: false, reason: 'fetch failed from github.com' });
    expect(result.code).toBe(2);
    expect(result.steps).toEqual([]);
    expect(result.lines.at(-1)).toBe('[dist] no AppImage or .deb built: the Electron 45.5.0 runtime could not be fetched (fetch failed from github.com)');
  });

  it('fetches a missing runtime, then builds and names the AppImage and the .deb', async () => {
    const result = await runDist(fakeRoot(false), { ok: true });
    expect(result.code).toBe(0);
    expect(result.steps).toEqual(['electron-vite build', 'electron-builder']);
    expect(result.lines.at(-1)).toBe('[dist] built dist/Jobdeck-0.1.0.AppImage, dist/jobdeck_0.1.0_amd64.deb');
  });

  it('stops at a failed step with exit 1', async () => {
    const result = await runDist(fakeRoot(true), { ok: true }, ['electron-vite build']);
    expect(result).toEqual({ code: 1, lines: ['[dist] electron-vite build failed (exit 1)'], steps: ['electron-vite build'] });
  });

  it('runs electron-builder for Linux with the config file, publishing nothing, each step bounded in time', () => {
    const builder = (distScript.buildSteps(ROOT) as Step[]).find((step) => step.name === 'electron-builder')!;
    expect(builder.args).toEqual(['--linux', '--config', 'electron-builder.config.mjs', '--publish', 'never']);
    expect(distScript.stepTimeoutMs({})).toBe(distScript.DIST_STEP_TIMEOUT_MS);
    expect(distScript.stepTimeoutMs({ JOBDECK_DIST_TIMEOUT_S: '30' })).toBe(30_000);
  });

  it('is never part of npm test', () => {
    const scripts = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.dist).toBe('node scripts/dist.mjs');
    expect(scripts.test).not.toMatch(/dist/);
  });
});

describe('the packaged app', () => {
  it('is a Jobdeck AppImage and .deb of out/ in an ASAR archive', () => {
    expect(builderConfig).toMatchObject({
      appId: 'dev.jobdeck.console',
      productName: 'Jobdeck',
      files: ['out/**/*', 'package.json'],
      asar: true,
      linux: { target: ['AppImage', 'deb'] },
    });
  });

  it('flips the fuses: NODE_OPTIONS and inspect arguments off, cookie encryption, ASAR integrity and ASAR-only on, file:// privileges off', () => {
    expect(builderConfig.electronFuses).toEqual(JOBDECK_FUSES);
    // As @electron/fuses names them: electron-builder passes each key on as FuseV1Options[Key].
    const wires = Object.fromEntries(Object.entries(JOBDECK_FUSES).map(([key, on]) => [key[0]!.toUpperCase() + key.slice(1), on]));
    for (const name of Object.keys(wires)) expect(FuseV1Options).toHaveProperty(name);
    expect(wires).toEqual({
      RunAsNode: true,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableCookieEncryption: true,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
      GrantFileProtocolExtraPrivileges: false,
    });
  });

  it('keeps run-as-node on exactly while the supervisor forks its workers with ELECTRON_RUN_AS_NODE', () => {
    const workerChild = readFileSync(path.join(ROOT, 'src-main/supervisor/worker-child.ts'), 'utf8');
    expect(JOBDECK_FUSES.runAsNode).toBe(workerChild.includes("ELECTRON_RUN_AS_NODE: '1'"));
  });
});
