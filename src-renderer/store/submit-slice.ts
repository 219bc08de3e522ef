import type { Job } from '../../src-shared/job';
import type { JobKind } from '../../src-shared/kinds';
import type { Problem } from '../../src-shared/problem';
import type { ConsoleDeps, SliceCreator } from './deps';
import { unreachable } from './failures';
import type { JobsSlice } from './jobs-slice';
import type { ReplaySlice } from './replay-slice';
import { parseRawPayload, validatePayload } from './validate-payload';

/**
 * A kind's submissions: not one action in flight but a run of copies, which may be partly
 * accepted and partly refused, and whose last accepted job stays shown after a later refusal.
 */
export interface SubmitState {
  submitting: boolean;
  /** Why the last submission was refused, by the console's own check or by the server. */
  problem: Problem | null;
  /** ID of the first job of the last accepted submission. */
  lastJobId: string | null;
  /** How many copies the last submission got accepted. */
  lastCount: number;
  /** While submitting: answers received so far, of `total` copies. */
  progress: { done: number; total: number } | null;
}

export interface SubmitSlice {
  submit: Readonly<Record<JobKind, SubmitState>>;
  /**
   * Checks the payload with the shared schema, then submits it `copies` times (default 1) and
   * opens the first job; true when every copy was accepted. While the kind's form replays a job
   * (see ReplaySlice), each copy is a replay of it (`replay_of`).
   */
  submitJob(kind: JobKind, payload: Record<string, unknown>, copies?: number): Promise<boolean>;
  /** Like `submitJob`, from a payload typed as JSON text. */
  submitRawJob(kind: JobKind, text: string, copies?: number): Promise<boolean>;
  /** Each kind's last dry run. */
  checks: Readonly<Record<JobKind, CheckState>>;
  /**
   * Checks a payload (or JSON text) with the API's dry run, creating nothing: a refusal is kept
   * as the kind's problem, as a refused submit's is; true when the API accepts it.
   */
  checkJob(kind: JobKind, payload: Record<string, unknown> | string): Promise<boolean>;
}

/** A kind's dry run (`POST /api/v1/jobs/validate`). */
export interface CheckState {
  checking: boolean;
  /** The payload, as JSON, that the API last accepted: the form says so while it still holds it. */
  validJson: string | null;
}

export const IDLE_CHECK: CheckState = { checking: false, validJson: null };

/** Most copies one click submits. */
export const MAX_COPIES = 1_000;
/** Copies sent at once, so a large count neither floods the API nor takes for ever. */
const COPIES_IN_FLIGHT = 8;

/** A kind's form before any submit (every kind's, until it submits). */
export const IDLE_SUBMIT: SubmitState = { submitting: false, problem: null, lastJobId: null, lastCount: 0, progress: null };
/** A new attempt forgets the last one's outcome, so an old "Accepted job" never sits under a new error. */
const NO_OUTCOME: Partial<SubmitState> = { problem: null, lastJobId: null, lastCount: 0 };

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

type SubmitReads = Pick<JobsSlice, 'acceptJobs' | 'selectJob'> & Pick<ReplaySlice, 'replay' | 'replayAccepted'>;

export function createSubmitSlice({ bridge }: ConsoleDeps): SliceCreator<SubmitSlice, SubmitReads> {
  return (set, get) => {
    /** The job a submit of `kind` runs again, while its form is in replay mode. */
    const replayOf = (kind: JobKind): { replay_of: string } | Record<string, never> => {
      const replay = get().replay;
      return replay?.kind === kind ? { replay_of: replay.of } : {};
    };
    const update = (kind: JobKind, change: Partial<SubmitState>): void =>
      set((state) => ({ submit: { ...state.submit, [kind]: { ...(state.submit[kind] ?? IDLE_SUBMIT), ...change } } }));

    /**
     * Sends `copies` submissions, a few at a time; stops at the first refusal. Each accepted job
     * is folded in (and counted on the charts) as its answer comes, and the progress moves on.
     */
    const sendCopies = async (kind: JobKind, payload: Record<string, unknown>, copies: number, origin: { replay_of?: string }) => {
      const accepted: Job[] = [];
      let refused: Problem | null = null;
      let next = 0;
      const lane = async (): Promise<void> => {
        while (next < copies && !refused) {
          next++;
          const answer = await bridge.submitJob({ kind, payload, ...origin });
          if (answer.ok) {
            accepted.push(answer.job);
            get().acceptJobs([answer.job]);
          } else refused ??= answer.problem;
          update(kind, { progress: { done: accepted.length + (refused ? 1 : 0), total: copies } });
        }
      };
      await Promise.all(Array.from({ length: Math.min(copies, COPIES_IN_FLIGHT) }, lane));
      return { accepted, refused };
    };

    const updateCheck = (kind: JobKind, check: CheckState): void => set((state) => ({ checks: { ...state.checks, [kind]: check } }));

    return {
      submit: {},
      checks: {},

      async checkJob(kind, input) {
        const parsed = typeof input === 'string' ? parseRawPayload(input) : { payload: input };
        if ('problem' in parsed) {
          update(kind, { ...NO_OUTCOME, problem: parsed.problem });
          return false;
        }
        updateCheck(kind, { checking: true, validJson: null });
        update(kind, { problem: null });
        try {
          const answer = await bridge.validateJob({ kind, payload: parsed.payload, ...replayOf(kind) });
          updateCheck(kind, { checking: false, validJson: answer.ok ? JSON.stringify(parsed.payload) : null });
          if (!answer.ok) update(kind, { ...NO_OUTCOME, problem: answer.problem });
          return answer.ok;
        } catch (error) {
          updateCheck(kind, IDLE_CHECK);
          update(kind, { problem: unreachable(error) });
          return false;
        }
      },

      async submitJob(kind, payload, copies = 1) {
        if (get().submit[kind]?.submitting) return false;
        const invalid = copiesProblem(copies) ?? validatePayload(kind, payload);
        if (invalid) {
          update(kind, { ...NO_OUTCOME, problem: invalid });
          return false;
        }
        update(kind, { ...NO_OUTCOME, submitting: true, progress: { done: 0, total: copies } });
        try {
          const origin = replayOf(kind);
          const { accepted, refused } = await sendCopies(kind, payload, copies, origin);
          const first = accepted[0];
          if (first && origin.replay_of) get().replayAccepted(accepted);
          update(kind, {
            submitting: false,
            progress: null,
            problem: refused,
            ...(first ? { lastJobId: first.id, lastCount: accepted.length } : {}),
          });
          // Opens the job it just made, as an operator expects after a submit.
          if (first) get().selectJob(first.id);
          return refused === null;
        } catch (error) {
          update(kind, { submitting: false, progress: null, problem: unreachable(error) });
          return false;
        }
      },

      async submitRawJob(kind, text, copies = 1) {
        const parsed = parseRawPayload(text);
        if ('problem' in parsed) {
          update(kind, { ...NO_OUTCOME, problem: parsed.problem });
          return false;
        }
        return get().submitJob(kind, parsed.payload, copies);
      },
    };
  };
}
