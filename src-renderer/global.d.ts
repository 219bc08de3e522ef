import type { JobdeckBridge } from '../src-shared/bridge';

declare global {
  interface Window {
    /** Set by the Electron preload; absent when the console runs in a browser (headless mode). */
    jobdeck?: JobdeckBridge;
  }
}

export {};
