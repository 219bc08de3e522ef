import type { MenuItemConstructorOptions } from 'electron';
import type { AlertNotice } from '../../src-shared/alert-schemas';
import type { JobEvent } from '../../src-shared/events';
import { viewOfHash, type ViewName } from '../../src-shared/views';

/** What the tray shows. */
export interface TrayCounts {
  /** Alert rules firing now. */
  firingAlerts: number;
  /** Jobs that reached FAILED since the operator last looked (focused the window or opened Jobs). */
  failedJobs: number;
}

/** Where the operator's eyes are: whether the window has focus, and the view it shows. */
export interface Attention {
  focused: boolean;
  view: ViewName | null;
}

/**
 * The tray's counts, from the console's own sources: the alert rules' states (`GET
 * /api/v1/alerts`), their fires and resolves, and the job events. A failure counts once per job
 * until the operator looks: the window gains focus, or the Jobs view opens; one that happens
 * while the focused window shows Jobs is seen as it happens.
 */
export class TrayState {
  private readonly firing = new Set<string>();
  private readonly failed = new Set<string>();
  private attention: Attention = { focused: false, view: null };
  private readonly listeners = new Set<(counts: TrayCounts) => void>();

  get counts(): TrayCounts {
    return { firingAlerts: this.firing.size, failedJobs: this.failed.size };
  }

  /** Calls `listener` with the counts whenever they change; returns the removal. */
  onChange(listener: (counts: TrayCounts) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** The rules as listed: those firing now, and no others. */
  setRules(rules: readonly { id: string; state: 'ok' | 'firing' }[]): void {
    this.change(() => {
      this.firing.clear();
      for (const rule of rules) if (rule.state === 'firing') this.firing.add(rule.id);
    });
  }

  onAlertNotice(notice: AlertNotice): void {
    this.change(() => (notice.type === 'alert.fired' ? this.firing.add(notice.rule.id) : this.firing.delete(notice.rule.id)));
  }

  onJobEvent(event: Pick<JobEvent, 'job_id' | 'status'>): void {
    if (event.status !== 'FAILED' || this.watchingJobs()) return;
    this.change(() => this.failed.add(event.job_id));
  }

  /** The window's focus or view changed: gaining focus, or opening Jobs, is looking. */
  look(next: Attention): void {
    const gainedFocus = next.focused && !this.attention.focused;
    const openedJobs = next.view === 'jobs' && this.attention.view !== 'jobs';
    this.attention = next;
    if (gainedFocus || openedJobs) this.change(() => this.failed.clear());
  }

  private watchingJobs(): boolean {
    return this.attention.focused && this.attention.view === 'jobs';
  }

  private change(apply: () => unknown): void {
    const before = this.counts;
    apply();
    const after = this.counts;
    if (after.firingAlerts === before.firingAlerts && after.failedJobs === before.failedJobs) return;
    for (const listener of this.listeners) listener(after);
  }
}

/** The counts in words, for the tooltip and the tray menu. */
export function countsText(counts: TrayCounts): { alerts: string; failed: string } {
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  return {
    alerts: `${plural(counts.firingAlerts, 'alert', 'alerts')} firing`,
    failed: `${plural(counts.failedJobs, 'job', 'jobs')} failed since you last looked`,
  };
}

/** The tray's tooltip: the app, then both counts. */
export function trayTooltip(counts: TrayCounts): string {
  const text = countsText(counts);
  return `Jobdeck: ${text.alerts}, ${text.failed}`;
}

/** What the tray's menu does; given by the shell. */
export interface TrayActions {
  /** Brings the window up, showing `view` when given. */
  show(view?: ViewName): void;
  quit(): void;
}

/** The tray's menu: each count opens its view (Alerts, Jobs), then Show and Quit. */
export function trayMenuTemplate(counts: TrayCounts, actions: TrayActions): MenuItemConstructorOptions[] {
  const text = countsText(counts);
  return [
    { id: 'tray-alerts', label: text.alerts, click: () => actions.show('alerts') },
    { id: 'tray-failed', label: text.failed, click: () => actions.show('jobs') },
    { type: 'separator' },
    { id: 'tray-show', label: 'Show Jobdeck', click: () => actions.show() },
    { id: 'tray-quit', label: 'Quit Jobdeck', click: () => actions.quit() },
  ];
}

/** The dock or launcher badge: every item that wants the operator (0 hides it). */
export function badgeCount(counts: TrayCounts): number {
  return counts.firingAlerts + counts.failedJobs;
}

/** The view a console page's URL shows (`http://…/#/jobs?q=…` → jobs); null for none. */
export function viewOfPageUrl(url: string): ViewName | null {
  const hash = URL.canParse(url) ? new URL(url).hash : '';
  return viewOfHash(`#/${/^#\/([^/?]*)/.exec(hash)?.[1] ?? ''}`);
}
