import type { ShellBridge } from '../src-shared/bridge';

declare global {
  interface Window {
    /** Set by the Electron preload; absent when the console runs in a browser (headless mode). */
    jobdeckShell?: ShellBridge;
  }
}

export {};
