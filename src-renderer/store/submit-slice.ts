import type { StateCreator } from 'zustand/vanilla';
import type { Job } from '../../src-shared/job';
import { JOB_KINDS, type JobKind } from '../../src-shared/kinds';
import type { Problem } from '../../src-shared/problem';
import { unreachable } from './failures';
import type { ConsoleDeps, ConsoleState, SubmitSlice, SubmitState } from './state';
import { parseRawPayload, validatePayload } from './validate-payload';

/** Most copies one click submits. */
export const MAX_COPIES = 1_000;
/** Copies sent at once, so a large count neither floods the API nor takes for ever. */
const COPIES_IN_FLIGHT = 8;

const IDLE: SubmitState = { submitting: false, problem: null, lastJobId: null, lastCount: 0 };

function copiesProblem(copies: number): Problem | null {
  if (Number.isInteger(copies) && copies >= 1 && copies <= MAX_COPIES) return null;
  return {
    type: 'about:blank',
    title: 'The number of copies is not valid',
    status: 400,
    detail: 'Checked by the console before sending: nothing was submitted.',
    errors: [{ field: 'copies', rule: 'range', message: `copies must be a whole number from 1 to ${MAX_COPIES}` }],
  };
}

export function createSubmitSlice({ bridge }: ConsoleDeps): StateCreator<ConsoleState, [], [], SubmitSlice> {
  return (set, get) => {
    const update = (kind: JobKind, change: Partial<SubmitState>): void =>
      set((state) => ({ submit: { ...state.submit, [kind]: { ...state.submit[kind], ...change } } }));

    /** Sends `copies` submissions, a few at a time; stops at the first refusal. */
    const sendCopies = async (kind: JobKind, payload: Record<string, unknown>, copies: number) => {
      const accepted: Job[] = [];
      let refused: Problem | null = null;
      let next = 0;
      const lane = async (): Promise<void> => {
        while (next < copies && !refused) {
          next++;
          const answer = await bridge.submitJob({ kind, payload });
          if (answer.ok) accepted.push(answer.job);
          else refused ??= answer.problem;
        }
      };
      await Promise.all(Array.from({ length: Math.min(copies, COPIES_IN_FLIGHT) }, lane));
      return { accepted, refused };
    };

    return {
      submit: Object.fromEntries(JOB_KINDS.map((kind) => [kind, IDLE])) as Record<JobKind, SubmitState>,

      async submitJob(kind, payload, copies = 1) {
        if (get().submit[kind].submitting) return false;
        const invalid = copiesProblem(copies) ?? validatePayload(kind, payload);
        if (invalid) {
          update(kind, { problem: invalid });
          return false;
        }
        update(kind, { submitting: true, problem: null });
        try {
          const { accepted, refused } = await sendCopies(kind, payload, copies);
          get().mergeJobs(accepted);
          const first = accepted[0];
          update(kind, {
            submitting: false,
            problem: refused,
            ...(first ? { lastJobId: first.id, lastCount: accepted.length } : {}),
          });
          // Opens the job it just made, as an operator expects after a submit.
          if (first) get().selectJob(first.id);
          return refused === null;
        } catch (error) {
          update(kind, { submitting: false, problem: unreachable(error) });
          return false;
        }
      },

      async submitRawJob(kind, text, copies = 1) {
        const parsed = parseRawPayload(text);
        if ('problem' in parsed) {
          update(kind, { problem: parsed.problem });
          return false;
        }
        return get().submitJob(kind, parsed.payload, copies);
      },
    };
  };
}
