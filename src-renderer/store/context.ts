import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { ConsoleStore } from './console-store';
import type { ConsoleState } from './state';

const ConsoleStoreContext = createContext<ConsoleStore | null>(null);

/** Gives the components below it the console store (one per window). */
export const ConsoleStoreProvider = ConsoleStoreContext.Provider;

/** Reads the console store with a selector; re-renders when the selected value changes. */
export function useConsole<T>(selector: (state: ConsoleState) => T): T {
  const store = useContext(ConsoleStoreContext);
  if (!store) throw new Error('useConsole is used outside a ConsoleStoreProvider');
  return useStore(store, selector);
}
