import { SHELL_CHANNELS, type ShellBridge, type ShellNotification } from '../../src-shared/bridge';
import { externalUrl, type CallerFrame } from './window-policy';

/** What the shell verbs do in Electron; given by the shell, faked in tests. */
export interface ShellEffects {
  version: string;
  openExternal(url: string): Promise<void>;
  notificationsSupported(): boolean;
  showNotification(notification: ShellNotification): void;
  /** The API token of this launch (see console-access.ts); only the console's own page may ask for it. */
  launchToken: string | null;
}

/** Each shell verb, taking what the page sent (unchecked: anything may cross IPC). */
export type ShellVerbs = { [V in keyof ShellBridge]: (...args: unknown[]) => ReturnType<ShellBridge[V]> };

const TITLE_MAX = 120;
const BODY_MAX = 500;

/** A notification the shell may show: a title of 1–120 characters, a body of at most 500. */
export function notificationOf(value: unknown): ShellNotification | null {
  if (typeof value !== 'object' || value === null) return null;
  const { title, body } = value as Record<string, unknown>;
  if (typeof title !== 'string' || title.length === 0 || title.length > TITLE_MAX) return null;
  if (body === undefined) return { title };
  return typeof body === 'string' && body.length <= BODY_MAX ? { title, body } : null;
}

/** The shell verbs over `effects`, each checking its input first. */
export function shellVerbs(effects: ShellEffects): ShellVerbs {
  return {
    appVersion: async () => effects.version,
    openExternal: async (value) => {
      const url = externalUrl(value);
      if (url === null) return false;
      return effects.openExternal(url).then(
        () => true,
        () => false,
      );
    },
    notify: async (value) => {
      const notification = notificationOf(value);
      if (notification === null || !effects.notificationsSupported()) return false;
      effects.showNotification(notification);
      return true;
    },
    launchToken: async () => effects.launchToken,
  };
}

/** An IPC channel's handler: who called, then what they sent. */
export type ChannelHandler = (caller: CallerFrame, ...args: unknown[]) => Promise<unknown>;

/** One handler per shell channel; a call from anywhere `mayCall` refuses is rejected. */
export function shellChannelHandlers(verbs: ShellVerbs, mayCall: (caller: CallerFrame) => boolean): Map<string, ChannelHandler> {
  const verbNames = Object.keys(SHELL_CHANNELS) as (keyof ShellBridge)[];
  return new Map(
    verbNames.map((verb): [string, ChannelHandler] => [
      SHELL_CHANNELS[verb],
      async (caller, ...args) => {
        if (!mayCall(caller)) throw new Error(`${SHELL_CHANNELS[verb]} refused: not the console's own page`);
        return verbs[verb](...args);
      },
    ]),
  );
}
