import type { KindInfo } from '../../src-shared/kind-records';
import type { ConsoleDeps, SliceCreator } from './deps';
import { field, load, NOT_LOADED, type Loaded } from './loaded';

export interface KindsSlice {
  /** Every kind of the console's registry (`GET /api/v1/kinds`), the built-in ones first. */
  kinds: Loaded<readonly KindInfo[]>;
  /** Reads the registry: at start, and again whenever the live feed opens (the console may have restarted with another kinds file). */
  loadKinds(): Promise<void>;
}

export function createKindsSlice({ bridge, now }: ConsoleDeps): SliceCreator<KindsSlice> {
  return (set, get) => ({
    kinds: NOT_LOADED,
    loadKinds: async () => void (await load(field(get, set, 'kinds'), async () => (await bridge.listKinds()).kinds, now)),
  });
}
