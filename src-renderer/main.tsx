/** The renderer's entry: one bridge, one store, started, the shell when there is one, then the React tree. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createBridge } from './bridge';
import { ShellProvider } from './shell/shell-context';
import { createConsoleStore } from './store/console-store';
import { ConsoleStoreProvider } from './store/context';
import { viewOfHash } from './store/nav-slice';

function main(): void {
  const container = document.getElementById('root');
  if (!container) throw new Error('index.html has no #root element');
  const store = createConsoleStore({ bridge: createBridge() });
  let stopLive = store.getState().start();
  // Leaving the page closes the live feed; coming back from the back/forward cache reopens it.
  window.addEventListener('pagehide', () => stopLive());
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) stopLive = store.getState().start();
  });
  // The view lives in the location hash (`#/jobs`): links, back and forward, and reloads agree.
  const followHash = (): void => store.getState().navigate(viewOfHash(window.location.hash) ?? 'overview');
  followHash();
  window.addEventListener('hashchange', followHash);
  store.subscribe((state, previous) => {
    if (state.view !== previous.view && viewOfHash(window.location.hash) !== state.view) window.location.hash = `#/${state.view}`;
  });
  createRoot(container).render(
    <StrictMode>
      <ConsoleStoreProvider value={store}>
        <ShellProvider value={window.jobdeckShell ?? null}>
          <App />
        </ShellProvider>
      </ConsoleStoreProvider>
    </StrictMode>,
  );
}

main();
