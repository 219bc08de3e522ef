/** The renderer's entry: the API token, one bridge, one store, started, the shell when there is one, then the React tree. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { AccessProvider } from './access/access-context';
import { createBridge } from './bridge';
import { accessOver, createAccessGate } from './bridge/access-gate';
import { ShellProvider } from './shell/shell-context';
import { createConsoleStore } from './store/console-store';
import { ConsoleStoreProvider } from './store/context';
import { syncLocation } from './store/location-sync';

function main(): void {
  const container = document.getElementById('root');
  if (!container) throw new Error('index.html has no #root element');
  const access = createAccessGate({ storage: sessionStorage, launchToken: window.jobdeckShell?.launchToken, whoIs: accessOver() });
  const store = createConsoleStore({ bridge: createBridge(access) });
  let stopLive = store.getState().start();
  // Leaving the page closes the live feed; coming back from the back/forward cache reopens it.
  window.addEventListener('pagehide', () => stopLive());
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) stopLive = store.getState().start();
  });
  // The view and the item open in it live in the location hash (`#/jobs/<id>`): see location-sync.
  syncLocation(store);
  createRoot(container).render(
    <StrictMode>
      <ConsoleStoreProvider value={store}>
        <ShellProvider value={window.jobdeckShell ?? null}>
          <AccessProvider value={access}>
            <App />
          </AccessProvider>
        </ShellProvider>
      </ConsoleStoreProvider>
    </StrictMode>,
  );
}

main();
