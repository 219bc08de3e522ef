import type { StateCreator } from 'zustand/vanilla';
import { JOB_KINDS, type JobKind } from '../../src-shared/kinds';
import type { Problem } from '../../src-shared/problem';
import type { ConsoleDeps, ConsoleState, SubmitSlice, SubmitState } from './state';
import { validatePayload } from './validate-payload';

const IDLE: SubmitState = { submitting: false, problem: null, lastJobId: null };

function unreachable(error: unknown): Problem {
  return {
    type: 'about:blank',
    title: 'Jobdeck did not answer',
    status: 0,
    detail: error instanceof Error ? error.message : String(error),
  };
}

export function createSubmitSlice({ bridge }: ConsoleDeps): StateCreator<ConsoleState, [], [], SubmitSlice> {
  return (set, get) => {
    const update = (kind: JobKind, change: Partial<SubmitState>): void =>
      set((state) => ({ submit: { ...state.submit, [kind]: { ...state.submit[kind], ...change } } }));

    return {
      submit: Object.fromEntries(JOB_KINDS.map((kind) => [kind, IDLE])) as Record<JobKind, SubmitState>,

      async submitJob(kind, payload) {
        if (get().submit[kind].submitting) return false;
        const invalid = validatePayload(kind, payload);
        if (invalid) {
          update(kind, { problem: invalid });
          return false;
        }
        update(kind, { submitting: true, problem: null });
        try {
          const answer = await bridge.submitJob({ kind, payload });
          if (!answer.ok) {
            update(kind, { submitting: false, problem: answer.problem });
            return false;
          }
          get().mergeJobs([answer.job]);
          update(kind, { submitting: false, lastJobId: answer.job.id });
          return true;
        } catch (error) {
          update(kind, { submitting: false, problem: unreachable(error) });
          return false;
        }
      },
    };
  };
}
