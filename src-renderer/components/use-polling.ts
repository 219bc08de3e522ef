import { useEffect } from 'react';

/** Calls `load` now and every `intervalMs` while the component is shown. */
export function usePolling(load: () => Promise<void>, intervalMs: number): void {
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), intervalMs);
    return () => clearInterval(timer);
  }, [load, intervalMs]);
}
