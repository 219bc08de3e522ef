/** The renderer's entry: one bridge, one store, started, then the React tree. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createBridge } from './bridge';
import { createConsoleStore } from './store/console-store';
import { ConsoleStoreProvider } from './store/context';

function main(): void {
  const container = document.getElementById('root');
  if (!container) throw new Error('index.html has no #root element');
  const store = createConsoleStore({ bridge: createBridge(window) });
  let stopLive = store.getState().start();
  // Leaving the page closes the live feed; coming back from the back/forward cache reopens it.
  window.addEventListener('pagehide', () => stopLive());
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) stopLive = store.getState().start();
  });
  createRoot(container).render(
    <StrictMode>
      <ConsoleStoreProvider value={store}>
        <App />
      </ConsoleStoreProvider>
    </StrictMode>,
  );
}

main();
