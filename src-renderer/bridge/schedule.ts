/** Runs `callback` once after `delayMs`; the returned function cancels it. Injected so tests own time. */
export type Schedule = (callback: () => void, delayMs: number) => () => void;

export const scheduleWithTimer: Schedule = (callback, delayMs) => {
  const handle = setTimeout(callback, delayMs);
  return () => clearTimeout(handle);
};
