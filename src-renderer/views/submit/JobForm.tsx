import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { kindType } from '../../../src-shared/builtin-kinds';
import type { JobKind } from '../../../src-shared/kinds';
import type { FieldError, Problem } from '../../../src-shared/problem';
import { kindLabel } from '../../format';
import { useConsole } from '../../store/context';
import { selectors } from '../../store/selectors';
import { EntityLink } from '../../components/EntityLink';
import { Field } from '../../components/Field';
import { IDLE_CHECK, MAX_COPIES, type SubmitState } from '../../store/submit-slice';
import { placeErrors } from './problem-fields';
import { useChangesBlocked } from '../../access/access-context';

/** What every kind's form takes: the payload to start from ("Run again with changes"), else its blank inputs. */
export interface KindFormProps {
  initial?: Record<string, unknown>;
}

export interface JobFormProps {
  kind: JobKind;
  /** What the job does, in one line. */
  description: string;
  /**
   * The payload fields this form's inputs edit, by dotted name (`size.width`): an error goes to
   * the input of its field or of the closest parent, the others to the summary.
   */
  fields: readonly string[];
  /** The payload from the inputs as they are now. */
  buildPayload: () => Record<string, unknown>;
  /** Called once the job was accepted, e.g. to reset an input. */
  onAccepted?: () => void;
  /** The inputs, given a way to find the errors about each field. */
  children: (errorsOf: (field: string) => string[]) => ReactNode;
  /** Offers "Check with the API": the API's dry run of the payload, creating nothing. */
  checkable?: boolean;
  /** Opens on the raw JSON editor (the payload's schema has no inputs of its own). */
  startRaw?: boolean;
  /** With `startRaw`: the payload the editor starts with, when not the inputs' (a replay's, whatever its shape). */
  initialRaw?: unknown;
}

/**
 * One kind's submit form: checks the payload with the shared schema (in the store), submits
 * it, and shows the accepted job's ID or the problem, field by field. While a submission is in
 * flight the button is marked disabled (still focusable) and the status line says why.
 */
export function JobForm({ kind, description, fields, buildPayload, onAccepted, children, checkable, startRaw, initialRaw }: JobFormProps) {
  const headingId = useId();
  const statusId = `${headingId}-status`;
  const { submitting, problem } = useConsole((state) => selectors.submitState(state, kind));
  const submitJob = useConsole(selectors.actions.submitJob);
  const submitRawJob = useConsole((state) => state.submitRawJob);
  const blocked = useChangesBlocked();
  const [raw, setRaw] = useState<string | null>(() => (startRaw ? JSON.stringify(initialRaw ?? buildPayload(), null, 2) : null));
  const [copies, setCopies] = useState('1');
  // In the raw editor the payload's own errors sit under it ('' is the payload itself).
  const placed = placeErrors(problem, raw === null ? fields : ['']);
  const others = placed.others.filter((error) => error.field !== 'copies');
  const copiesInvalid = problem?.errors?.some((error) => error.field === 'copies') ?? false;

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (submitting || blocked) return;
    const count = Number(copies);
    const accepted = raw === null ? await submitJob(kind, buildPayload(), count) : await submitRawJob(kind, raw, count);
    if (!accepted) return;
    setCopies('1');
    onAccepted?.();
  };
  const toggleRaw = () => setRaw(raw === null ? JSON.stringify(buildPayload(), null, 2) : null);

  return (
    <form className="job-form card" data-kind={kind} aria-labelledby={headingId} noValidate onSubmit={onSubmit}>
      <JobFormHeader kind={kind} description={description} headingId={headingId} />
      {raw === null ? (
        children(placed.errorsOf)
      ) : (
        <Field
          label="Payload as JSON"
          name="payload"
          value={raw}
          onChange={setRaw}
          errors={placed.errorsOf('')}
          multiline
          hint="Sent as is; checked with the same schema as the API."
        />
      )}
      <FormOptions
        raw={raw !== null}
        onToggleRaw={toggleRaw}
        copies={copies}
        onCopies={setCopies}
        copiesInvalid={copiesInvalid}
      />
      {problem && <FormProblem problem={problem} others={others} />}
      <div className="form-actions">
        <div className="form-buttons">
          <button
            type="submit"
            className="primary"
            aria-disabled={submitting || blocked || undefined}
            aria-describedby={submitting ? statusId : undefined}
          >
            {submitLabel(kind)}
          </button>
          {checkable && <CheckButton kind={kind} payload={() => raw ?? buildPayload()} />}
        </div>
        {checkable && <CheckStatus kind={kind} payload={() => raw ?? buildPayload()} />}
        <SubmitStatus id={statusId} kind={kind} />
      </div>
    </form>
  );
}

/** A built-in kind's letter (`A`); null for a user kind, which has none. */
const letterOf = (kind: JobKind): string | null => (kindType(kind) === kind ? null : kindType(kind));

/** `Submit log job (A)`; a user kind by its name alone. */
export const submitLabel = (kind: JobKind): string => `Submit ${kind} job${letterOf(kind) ? ` (${letterOf(kind)})` : ''}`;

type CurrentPayload = () => Record<string, unknown> | string;

/** Runs the API's dry run of the payload as it is now. */
function CheckButton({ kind, payload }: { kind: JobKind; payload: CurrentPayload }) {
  const checking = useConsole((state) => (state.checks[kind] ?? IDLE_CHECK).checking);
  const checkJob = useConsole((state) => state.checkJob);
  return (
    <button type="button" className="secondary" aria-disabled={checking || undefined} onClick={() => !checking && void checkJob(kind, payload())}>
      Check with the API
    </button>
  );
}

/** Says a dry run is on its way, or that the API accepts the payload while the inputs still hold it. */
function CheckStatus({ kind, payload }: { kind: JobKind; payload: CurrentPayload }) {
  const { checking, validJson } = useConsole((state) => state.checks[kind] ?? IDLE_CHECK);
  const current = payload();
  const accepted = validJson !== null && validJson === (typeof current === 'string' ? jsonOf(current) : JSON.stringify(current));
  return (
    <p className="form-result" role="status">
      {checking ? 'Checking with the API…' : accepted && 'The API accepts this payload.'}
    </p>
  );
}

/** JSON text as the store writes it (compact), or null when it does not parse. */
function jsonOf(text: string): string | null {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return null;
  }
}

interface FormOptionsProps {
  raw: boolean;
  onToggleRaw: () => void;
  copies: string;
  onCopies: (copies: string) => void;
  copiesInvalid: boolean;
}

/** The raw-JSON switch and the number of copies to send. */
function FormOptions({ raw, onToggleRaw, copies, onCopies, copiesInvalid }: FormOptionsProps) {
  return (
    <div className="form-options">
      <label className="checkbox">
        <input type="checkbox" checked={raw} onChange={onToggleRaw} /> Edit as raw JSON
      </label>
      <label className="copies">
        Copies
        <input
          type="number"
          min={1}
          max={MAX_COPIES}
          value={copies}
          onChange={(event) => onCopies(event.target.value)}
          aria-invalid={copiesInvalid || undefined}
        />
      </label>
    </div>
  );
}

function JobFormHeader({ kind, description, headingId }: { kind: JobKind; description: string; headingId: string }) {
  return (
    <header className="job-form-header">
      {letterOf(kind) && (
        <span className="kind-letter" aria-hidden="true">
          {letterOf(kind)}
        </span>
      )}
      <div>
        <h3 id={headingId}>{kindLabel(kind)}</h3>
        <p className="muted">{description}</p>
      </div>
    </header>
  );
}

/** The refusal's title and detail, and the field errors no input of the form shows. */
function FormProblem({ problem, others }: { problem: Problem; others: readonly FieldError[] }) {
  return (
    <div className="form-problem" role="alert">
      <p className="form-problem-title">{problem.title}</p>
      {problem.detail && <p>{problem.detail}</p>}
      {others.length > 0 && (
        <ul>
          {others.map((error) => (
            <li key={`${error.field}:${error.rule}`}>{error.message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** "Submitting 37/200" while copies go out; one copy just waits for its answer. */
export function submittingText(progress: SubmitState['progress']): string {
  if (progress && progress.total > 1) return `Submitting ${progress.done}/${progress.total}… the next submit waits until every copy is answered.`;
  return 'Submitting… waiting for the console to answer before another job can be sent.';
}

/** Says why the button is busy, or which job was accepted last with a way to it. */
function SubmitStatus({ id, kind }: { id: string; kind: JobKind }) {
  const { submitting, lastJobId, lastCount, progress } = useConsole((state) => selectors.submitState(state, kind));
  const navigate = useConsole((state) => state.navigate);
  return (
    <p id={id} className="form-result" role="status">
      {submitting ? (
        submittingText(progress)
      ) : (
        lastJobId && (
          <>
            Accepted job <EntityLink entity={{ kind: 'job', id: lastJobId }} full />
            {lastCount > 1 && ` and ${lastCount - 1} more`}{' '}
            <button type="button" className="link" onClick={() => navigate('jobs')}>
              Show in Jobs
            </button>
          </>
        )
      )}
    </p>
  );
}
