import type { AlertNotice } from '../../src-shared/alert-schemas';
import type { JobEvent } from '../../src-shared/events';
import type { TrayState } from './tray-state';

/**
 * Where the tray's counts come from, in process: the console's alert store (what `GET
 * /api/v1/alerts` lists), its fire/resolve feed (what `/api/v1/alerts/stream` carries) and the
 * event relay (what `/api/v1/events` carries). The running console's live parts provide them, so
 * they follow a core restarted on another profile.
 */
export interface TraySources {
  listRules(): Promise<readonly { id: string; state: 'ok' | 'firing' }[]>;
  followAlerts(listener: (notice: AlertNotice) => void, closed: () => void): () => void;
  onJobEvent(listener: (event: JobEvent) => void): () => void;
}

/** How often the rules are listed again: catches a notice missed while the feed was closed (a restart). */
export const RULES_REFRESH_MS = 15_000;

/** Feeds `state` from `sources` until the returned stop is called. */
export function feedTray(state: TrayState, sources: TraySources, refreshMs = RULES_REFRESH_MS): () => void {
  let unfollow: (() => void) | null = null;
  const refresh = (): void => {
    // While a restart swaps the core, following and listing fail: the next tick tries again.
    try {
      unfollow ??= sources.followAlerts(
        (notice) => state.onAlertNotice(notice),
        () => (unfollow = null),
      );
    } catch {
      unfollow = null;
    }
    sources.listRules().then(
      (rules) => state.setRules(rules),
      () => undefined,
    );
  };
  const unsubscribe = sources.onJobEvent((event) => state.onJobEvent(event));
  refresh();
  const timer = setInterval(refresh, refreshMs);
  return () => {
    clearInterval(timer);
    unsubscribe();
    unfollow?.();
  };
}
