import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

/**
 * One build for every entry: the Electron main process, the headless console and the worker
 * (all Node, under out/main) with the reaper of user commands, the preload (CommonJS, so the window keeps `sandbox: true`),
 * and the renderer (the React console, served by both modes).
 */
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve('src-main/electron/main.ts'),
          headless: resolve('src-main/headless.ts'),
          worker: resolve('src-worker/index.ts'),
          // The parent of each user command, which the worker spawns: next to worker.js, by its
          // own name (see src-worker/handlers/command-process.ts).
          'command-reaper': resolve('src-worker/handlers/command-reaper.mjs'),
        },
        output: { entryFileNames: (chunk) => (chunk.name === 'command-reaper' ? '[name].mjs' : '[name].js') },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve('src-main/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src-renderer',
    plugins: [react()],
    build: {
      outDir: 'out/renderer',
      rollupOptions: { input: { index: resolve('src-renderer/index.html') } },
    },
  },
});
