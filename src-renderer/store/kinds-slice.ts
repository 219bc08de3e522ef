import { BUILTIN_KIND_NAMES } from '../../src-shared/builtin-kinds';
import type { KindsReport } from '../../src-shared/kind-records';
import type { JobKind } from '../../src-shared/kinds';
import type { ConsoleDeps, SliceCreator } from './deps';
import { field, load, NOT_LOADED, type Loaded } from './loaded';

/** The console's job kinds (`GET /api/v1/kinds`): the built-in ones and its kinds file's. */
export interface KindsSlice {
  kinds: Loaded<KindsReport>;
  loadKinds(): Promise<void>;
}

export function createKindsSlice({ bridge, now }: ConsoleDeps): SliceCreator<KindsSlice> {
  return (set, get) => ({
    kinds: NOT_LOADED,
    loadKinds: async () => void (await load(field(get, set, 'kinds'), () => bridge.listKinds(), now)),
  });
}

/**
 * Every kind's name, the built-in ones first: the console's once read, the built-in ones until
 * then. Memoized on the report, so a component re-renders only when the kinds changed.
 */
export function createKindNamesSelector(): (state: KindsSlice) => readonly JobKind[] {
  let lastReport: KindsReport | null = null;
  let last: readonly JobKind[] = BUILTIN_KIND_NAMES;
  return (state) => {
    const report = state.kinds.data;
    if (!report) return BUILTIN_KIND_NAMES;
    if (report !== lastReport) {
      lastReport = report;
      last = report.kinds.map((kind) => kind.name);
    }
    return last;
  };
}
