import { useId, type FormEvent, type ReactNode } from 'react';
import { KIND_LETTER, type JobKind } from '../../../src-shared/kinds';
import { kindLabel } from '../../format';
import { useConsole } from '../../store/context';
import { selectors } from '../../store/selectors';
import { errorsFor, otherErrors } from './problem-fields';

export interface JobFormProps {
  kind: JobKind;
  /** What the job does, in one line. */
  description: string;
  /** The payload fields this form edits (errors about others go to the summary). */
  fields: readonly string[];
  /** The payload from the inputs as they are now. */
  buildPayload: () => Record<string, unknown>;
  /** Called once the job was accepted, e.g. to reset an input. */
  onAccepted?: () => void;
  /** The inputs, given a way to find the errors about each field. */
  children: (errorsOf: (field: string) => string[]) => ReactNode;
}

/**
 * One kind's submit form: checks the payload with the shared schema (in the store), submits
 * it, and shows the accepted job's ID or the problem, field by field. While a submission is in
 * flight the button is marked disabled (still focusable) and the status line says why.
 */
export function JobForm({ kind, description, fields, buildPayload, onAccepted, children }: JobFormProps) {
  const headingId = useId();
  const statusId = `${headingId}-status`;
  const { submitting, problem, lastJobId } = useConsole((state) => selectors.submitState(state, kind));
  const submitJob = useConsole(selectors.actions.submitJob);
  const others = otherErrors(problem, fields);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (submitting) return;
    if (await submitJob(kind, buildPayload())) onAccepted?.();
  };

  return (
    <form className="job-form card" aria-labelledby={headingId} noValidate onSubmit={onSubmit}>
      <header className="job-form-header">
        <span className="kind-letter" aria-hidden="true">
          {KIND_LETTER[kind]}
        </span>
        <div>
          <h3 id={headingId}>{kindLabel(kind)}</h3>
          <p className="muted">{description}</p>
        </div>
      </header>
      {children((field) => errorsFor(problem, field))}
      {problem && (
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
      )}
      <div className="form-actions">
        <button
          type="submit"
          className="primary"
          aria-disabled={submitting || undefined}
          aria-describedby={submitting ? statusId : undefined}
        >
          Submit {kind} job ({KIND_LETTER[kind]})
        </button>
        <p id={statusId} className="form-result" role="status">
          {submitting ? (
            'Submitting… waiting for the console to answer before another job can be sent.'
          ) : (
            lastJobId && (
              <>
                Accepted job <code className="job-id">{lastJobId}</code>
              </>
            )
          )}
        </p>
      </div>
    </form>
  );
}
