import { createContext, useContext, useEffect, useState } from 'react';
import type { ShellBridge } from '../../src-shared/bridge';

const ShellContext = createContext<ShellBridge | null>(null);

/** Gives the components below it the desktop shell's verbs; null (the default) in a browser. */
export const ShellProvider = ShellContext.Provider;

/** The desktop shell's verbs, or null when the page runs in a browser. */
export function useShell(): ShellBridge | null {
  return useContext(ShellContext);
}

/** The desktop app's version once the shell answered; null in a browser (or until it answers). */
export function useAppVersion(): string | null {
  const shell = useShell();
  const [version, setVersion] = useState<string | null>(null);
  useEffect(() => {
    if (!shell) return;
    let current = true;
    shell.appVersion().then(
      (answer) => current && setVersion(answer),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [shell]);
  return version;
}
