import type { WorkersActionResult } from '../../src-shared/bridge';
import type { StateCreator } from 'zustand/vanilla';
import { describeError, unreachable } from './failures';
import type { ConsoleDeps, ConsoleState, WorkersSlice } from './state';

export function createWorkersSlice({ bridge }: ConsoleDeps): StateCreator<ConsoleState, [], [], WorkersSlice> {
  return (set) => {
    const control = async (target: string, call: () => Promise<WorkersActionResult>): Promise<boolean> => {
      set({ workerAction: { target, pending: true, problem: null } });
      let answer: WorkersActionResult;
      try {
        answer = await call();
      } catch (error) {
        answer = { ok: false, problem: unreachable(error) };
      }
      if (answer.ok) set({ workers: answer.report, workersError: null });
      set({ workerAction: { target, pending: false, problem: answer.ok ? null : answer.problem } });
      return answer.ok;
    };

    return {
      workers: null,
      workersError: null,
      workerAction: null,

      async loadWorkers() {
        try {
          set({ workers: await bridge.listWorkers(), workersError: null });
        } catch (error) {
          set({ workersError: describeError(error) });
        }
      },

      scaleWorkers: (kind, count) => control(kind, () => bridge.scaleWorkers(kind, count)),
      restartWorker: (id) => control(id, () => bridge.restartWorker(id)),
      stopWorker: (id) => control(id, () => bridge.stopWorker(id)),
    };
  };
}
