import type { ConnectionSettings, HealthSummary } from '../../src-shared/console-records';
import type { ConsoleDeps, SliceCreator } from './deps';
import { field, load, NOT_LOADED, type Loaded } from './loaded';

export interface OverviewSlice {
  /** `at`: when the health was last checked. */
  health: Loaded<HealthSummary>;
  /** The connections in use (passwords masked), for Settings. */
  settings: Loaded<ConnectionSettings>;
  loadHealth(): Promise<void>;
  loadSettings(): Promise<void>;
}

export function createOverviewSlice({ bridge, now }: ConsoleDeps): SliceCreator<OverviewSlice> {
  return (set, get) => ({
    health: NOT_LOADED,
    settings: NOT_LOADED,
    loadHealth: async () => void (await load(field(get, set, 'health'), () => bridge.getHealth(), now)),
    loadSettings: async () => void (await load(field(get, set, 'settings'), () => bridge.getSettings(), now)),
  });
}
