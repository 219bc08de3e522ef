import type { KindFlowResult } from '../../src-shared/bridge';
import type { FlowReport, KindLimits } from '../../src-shared/flow';
import type { JobKind } from '../../src-shared/kinds';
import type { ConsoleDeps, SliceCreator } from './deps';
import { field, load, NOT_LOADED, type Loaded } from './loaded';
import { act, type Accepted, type Pending } from './pending';

/** Each kind's pause and limits (`GET /api/v1/flow`), and the operator's changes to them. */
export interface FlowSlice {
  flows: Loaded<FlowReport>;
  /** The last pause, resume or limits change (target: the kind): pending, or its answer. */
  flowChange: Pending<Accepted<KindFlowResult>, JobKind> | null;
  loadFlows(): Promise<void>;
  /** Pauses (`paused` true) or resumes the kind, then reloads; true when accepted. */
  pauseKind(kind: JobKind, paused: boolean): Promise<boolean>;
  /** Replaces the kind's limits, then reloads; true when accepted. */
  setKindLimits(kind: JobKind, limits: KindLimits): Promise<boolean>;
}

export function createFlowSlice({ bridge, now, schedule }: ConsoleDeps): SliceCreator<FlowSlice> {
  return (set, get) => {
    const change = async (kind: JobKind, call: () => Promise<KindFlowResult>): Promise<boolean> => {
      const answer = await act(field(get, set, 'flowChange'), kind, call, schedule);
      await get().loadFlows();
      return answer.ok;
    };
    return {
      flows: NOT_LOADED,
      flowChange: null,
      loadFlows: async () => void (await load(field(get, set, 'flows'), () => bridge.listFlows(), now)),
      pauseKind: (kind, paused) => change(kind, () => bridge.pauseKind(kind, paused)),
      setKindLimits: (kind, limits) => change(kind, () => bridge.setKindLimits(kind, limits)),
    };
  };
}

/** The kinds paused now, by name (empty until read). */
export function pausedKindsOf(flows: FlowReport | null): ReadonlySet<JobKind> {
  return new Set((flows?.kinds ?? []).filter((flow) => flow.paused).map((flow) => flow.kind));
}
