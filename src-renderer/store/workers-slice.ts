import type { WorkersActionResult } from '../../src-shared/bridge';
import type { WorkersReport } from '../../src-shared/console-records';
import type { JobKind } from '../../src-shared/kinds';
import type { ConsoleDeps, SliceCreator } from './deps';
import { field, load, NOT_LOADED, type Loaded } from './loaded';
import { act, type Accepted, type Pending } from './pending';

export interface WorkersSlice {
  /** The last list stays shown when a later one fails. */
  workers: Loaded<WorkersReport>;
  /** The last control (target: a kind for scaling, a worker ID otherwise). */
  workerAction: Pending<Accepted<WorkersActionResult>> | null;
  loadWorkers(): Promise<void>;
  scaleWorkers(kind: JobKind, count: number): Promise<boolean>;
  restartWorker(id: string): Promise<boolean>;
  stopWorker(id: string): Promise<boolean>;
}

export function createWorkersSlice({ bridge, now, schedule }: ConsoleDeps): SliceCreator<WorkersSlice> {
  return (set, get) => {
    const workers = field(get, set, 'workers');
    const control = async (target: string, call: () => Promise<WorkersActionResult>): Promise<boolean> => {
      const answer = await act(field(get, set, 'workerAction'), target, call, schedule);
      // A control answers the whole list as it now stands.
      if (answer.ok) workers.write({ status: 'loaded', data: answer.report, error: null, at: now() });
      return answer.ok;
    };

    return {
      workers: NOT_LOADED,
      workerAction: null,
      loadWorkers: async () => void (await load(workers, () => bridge.listWorkers(), now)),
      scaleWorkers: (kind, count) => control(kind, () => bridge.scaleWorkers(kind, count)),
      restartWorker: (id) => control(id, () => bridge.restartWorker(id)),
      stopWorker: (id) => control(id, () => bridge.stopWorker(id)),
    };
  };
}
