import { renderToStaticMarkup } from 'react-dom/server';
import type { Job } from '../../../src-shared/job';
import type { Problem } from '../../../src-shared/problem';
import { App } from '../../../src-renderer/App';
import { createConsoleStore, type ConsoleStore, type ConsoleStoreOptions } from '../../../src-renderer/store/console-store';
import { ConsoleStoreProvider } from '../../../src-renderer/store/context';
import { fakeBridge } from './fake-bridge';
import { manualSchedule } from './fixtures';

/** Waits for the promises the store started (page loads) to settle. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A console store on a fake bridge (whose first page of jobs is `firstPage`) and a manual clock. */
export function setupStore(firstPage: Job[] = [], options: Partial<Omit<ConsoleStoreOptions, 'bridge'>> = {}) {
  const fake = fakeBridge(firstPage);
  const schedule = manualSchedule();
  const store = createConsoleStore({ bridge: fake.bridge, schedule, ...options });
  return { ...fake, schedule, store };
}

/** Renders the console to HTML (no DOM needed) from a store in a known state. */
export function renderConsole(store: ConsoleStore): string {
  // Server rendering reads getInitialState(); make it the state the test prepared.
  const prepared = { ...store, getInitialState: store.getState };
  return renderToStaticMarkup(
    <ConsoleStoreProvider value={prepared}>
      <App />
    </ConsoleStoreProvider>,
  );
}

export const problem = (status: number, title: string): Problem => ({ type: 'about:blank', title, status, detail: '' });
