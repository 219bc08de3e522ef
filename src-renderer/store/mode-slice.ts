import type { ModeReport } from '../../src-shared/mode-report';
import type { ConsoleDeps, SliceCreator } from './deps';
import { field, load, NOT_LOADED, type Loaded } from './loaded';

/** The active connection profile's mode (`GET /api/v1/mode`): read-only and why, production or not. */
export interface ModeSlice {
  mode: Loaded<ModeReport>;
  loadMode(): Promise<void>;
}

export function createModeSlice({ bridge, now }: ConsoleDeps): SliceCreator<ModeSlice> {
  return (set, get) => ({
    mode: NOT_LOADED,
    loadMode: async () => void (await load(field(get, set, 'mode'), () => bridge.getMode(), now)),
  });
}

/** Why changing verbs are refused now, or null: the profile is read-only (its reason, in the API's words). */
export function readOnlyReason(mode: ModeReport | null): string | null {
  if (!mode?.read_only) return null;
  return `Profile ${mode.name} is read-only${mode.reason ? `: ${mode.reason}` : ''}.`;
}

/** Whether the destructive verbs ask for their target's name typed: a writable production profile. */
export const asksTypedConfirm = (mode: ModeReport | null): boolean => mode?.environment === 'production' && !mode.read_only;
