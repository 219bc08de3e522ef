import { useEffect } from 'react';
import type { AlertNotice } from '../../../src-shared/alert-schemas';
import type { ShellBridge } from '../../../src-shared/bridge';
import { useShell } from '../../shell/shell-context';
import { useConsole } from '../../store/context';

/** Raises the desktop notification of a fire: the shell's in the window, the Notification API in a browser that allows it. */
export function notifyFire(notice: AlertNotice, shell: ShellBridge | null): void {
  if (notice.type !== 'alert.fired') return;
  const title = `Alert: ${notice.rule.name}`.slice(0, 120);
  const body = notice.event.message.slice(0, 500);
  if (shell) {
    void shell.notify({ title, body }).catch(() => undefined);
    return;
  }
  if (typeof Notification !== 'undefined' && Notification.permission === 'granted') {
    new Notification(title, { body, tag: `alert-${notice.event.id}` });
  }
}

/** Follows every rule's fires and resolves for as long as the app shows: the badge, the view and the notifications. */
export function useAlertWatch(): void {
  const shell = useShell();
  const onAlert = useConsole((state) => state.followAlerts);
  const load = useConsole((state) => state.loadAlerts);
  useEffect(() => {
    void load();
    return onAlert((notice) => notifyFire(notice, shell));
  }, [onAlert, load, shell]);
}
