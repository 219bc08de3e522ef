import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { ConsoleStore } from './console-store';
import type { ConsoleState } from './state';

const ConsoleStoreContext = createContext<ConsoleStore | null>(null);

/** Gives the components below it the console store (one per window). */
export const ConsoleStoreProvider = ConsoleStoreContext.Provider;

/** The console store itself, for actions that read the state once when they run (the command palette's). */
export function useConsoleStore(): ConsoleStore {
  const store = useContext(ConsoleStoreContext);
  if (!store) throw new Error('useConsoleStore is used outside a ConsoleStoreProvider');
  return store;
}

/** Reads the console store with a selector; re-renders when the selected value changes. */
export function useConsole<T>(selector: (state: ConsoleState) => T): T {
  return useStore(useConsoleStore(), selector);
}
