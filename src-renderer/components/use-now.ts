import { useEffect, useState } from 'react';

/** The current time, moved on every `everyMs`, so a countdown or an "ago" stays true while it is shown. */
export function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
