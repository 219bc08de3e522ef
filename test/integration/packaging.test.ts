/**
 * The packaging pipeline of `npm run dist` without the Electron binary: electron-builder packs the
 * built app (out/, as `npm test` builds it) with electron-builder.config.mjs onto a stand-in
 * Electron distribution — a file carrying the fuse wire's sentinel, as the real binary does — so
 * what the packaged app holds and how its fuses end up are checked where the runtime cannot be
 * fetched. Only the `dir` target: AppImage and .deb need tools electron-builder downloads.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listPackage } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs script without type declarations
import { JOBDECK_FUSES } from '../../scripts/electron-fuses.mjs';

const ROOT = process.cwd();
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const PACK_TIMEOUT_MS = 180_000;

const work = mkdtempSync(path.join(os.tmpdir(), 'jobdeck-packaging-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A stand-in for Electron's Linux distribution: `electron` with a fuse wire in Electron's defaults. */
function standInElectron(): string {
  const dir = path.join(work, 'electron-dist');
  mkdirSync(path.join(dir, 'resources'), { recursive: true });
  const wire = '1011000111'; // RunAsNode, CookieEncryption, NodeOptions, Inspect, AsarIntegrity, AsarOnly, V8Snapshot, FileProtocol, …
  writeFileSync(path.join(dir, 'electron'), Buffer.concat([Buffer.from(SENTINEL), Buffer.from([1, wire.length]), Buffer.from(wire)]));
  chmodSync(path.join(dir, 'electron'), 0o755);
  writeFileSync(path.join(dir, 'LICENSE'), 'stand-in');
  writeFileSync(path.join(dir, 'version'), '45.5.0');
  return dir;
}

function packDir(configFile: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(path.join(ROOT, 'node_modules', '.bin', 'electron-builder'), ['--linux', 'dir', '--config', configFile, '--publish', 'never'], { cwd: ROOT });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), PACK_TIMEOUT_MS);
    child.once('close', (code) => (clearTimeout(timer), resolve({ code, output })));
  });
}

describe('packaging with electron-builder.config.mjs', () => {
  it('packs out/ and the runtime dependencies into app.asar and flips the fuses in the binary', { timeout: PACK_TIMEOUT_MS + 10_000 }, async () => {
    expect(existsSync(path.join(ROOT, 'out/main/index.js')), 'out/ is built by npm run build').toBe(true);
    const output = path.join(work, 'dist');
    const configFile = path.join(work, 'electron-builder.rehearsal.mjs');
    writeFileSync(
      configFile,
      `import base from ${JSON.stringify(path.join(ROOT, 'electron-builder.config.mjs'))};\n` +
        `export default { ...base, electronDist: ${JSON.stringify(standInElectron())}, directories: { ...base.directories, output: ${JSON.stringify(output)} } };\n`,
    );
    const packed = await packDir(configFile);
    expect(packed.code, packed.output).toBe(0);

    const appDir = path.join(output, 'linux-unpacked');
    const files = listPackage(path.join(appDir, 'resources', 'app.asar'), { isPack: false });
    expect(files).toEqual(
      expect.arrayContaining(['/package.json', '/out/main/index.js', '/out/main/worker.js', '/out/preload/index.cjs', '/out/renderer/index.html', '/node_modules/fastify/package.json']),
    );
    expect(files.filter((file) => /^\/(src-|test\/|scripts\/)/.test(file))).toEqual([]);

    const wire = await getCurrentFuseWire(path.join(appDir, 'jobdeck'));
    const state = (fuse: FuseV1Options) => String.fromCharCode(wire[fuse]!) === '1';
    for (const [key, on] of Object.entries(JOBDECK_FUSES as Record<string, boolean>)) {
      const fuse = FuseV1Options[(key[0]!.toUpperCase() + key.slice(1)) as keyof typeof FuseV1Options];
      expect({ fuse: key, on: state(fuse) }).toEqual({ fuse: key, on });
    }
  });
});
