import { useEffect, useId, useState, type FormEvent } from 'react';
import type { CreateBatchRequest } from '../../../src-shared/bridge';
import type { Problem } from '../../../src-shared/problem';
import { EntityLink } from '../../components/EntityLink';
import { useConsole } from '../../store/context';
import { BATCH_PRESETS, jobsText } from './batch-presets';
import { useChangesBlocked } from '../../access/access-context';

/** The console's own webhook inbox, the default target of a batch's fan-in callback. */
function inboxUrl(apiUrl: string | undefined): string {
  const origin = apiUrl ?? (window.location.protocol.startsWith('http') ? window.location.origin : 'http://127.0.0.1:8000');
  return `${origin}/api/v1/inbox/batches`;
}

/** The problem's field errors, each naming its field (`jobs.2.payload.x`). */
function BatchProblem({ problem }: { problem: Problem }) {
  return (
    <div className="form-problem" role="alert">
      <p className="form-problem-title">
        {problem.title}
        {problem.detail ? `: ${problem.detail}` : ''}
      </p>
      {problem.errors && problem.errors.length > 0 && (
        <ul>
          {problem.errors.map((error) => (
            <li key={`${error.field}-${error.rule}`}>
              <code>{error.field}</code> {error.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Parses the typed jobs; a problem named like the API's when the text is not a JSON array. */
function parseJobs(text: string): CreateBatchRequest['jobs'] | Problem {
  try {
    const value: unknown = JSON.parse(text);
    if (Array.isArray(value)) return value as CreateBatchRequest['jobs'];
  } catch {
    // Said below.
  }
  return {
    type: 'about:blank',
    title: 'the request is not valid',
    status: 400,
    detail: '',
    errors: [{ field: 'jobs', rule: 'json', message: 'must be a JSON array of jobs' }],
  };
}

/** One button per preset of the book; a click puts its jobs in the text. */
function PresetButtons({ onPick }: { onPick: (text: string) => void }) {
  return (
    <fieldset className="presets">
      <legend className="field-name">Presets from the book</legend>
      <div className="button-row">
        {BATCH_PRESETS.map((preset) => (
          <button key={preset.name} type="button" className="secondary" title={preset.description} onClick={() => onPick(jobsText(preset.jobs()))}>
            {preset.name}
          </button>
        ))}
      </div>
    </fieldset>
  );
}

interface CallbackOptionsProps {
  id: string;
  enabled: boolean;
  onEnabled: (enabled: boolean) => void;
  url: string;
  onUrl: (url: string) => void;
  placeholder: string;
}

/** Whether to ask for a fan-in callback, and where to (the console's inbox when empty). */
function CallbackOptions({ id, enabled, onEnabled, url, onUrl, placeholder }: CallbackOptionsProps) {
  return (
    <>
      <label className="checkbox">
        <input type="checkbox" checked={enabled} onChange={(e) => onEnabled(e.target.checked)} /> Fan-in callback when every job has ended
      </label>
      {enabled && (
        <div className="field">
          <label htmlFor={id}>
            <span className="field-name">Callback URL</span>
          </label>
          <input id={id} type="url" placeholder={placeholder} value={url} onChange={(e) => onUrl(e.target.value)} />
          <p className="field-hint">Empty: the console&apos;s webhook inbox.</p>
        </div>
      )}
    </>
  );
}

/** Submits a batch: a preset or typed jobs, and an optional fan-in callback. */
export function BatchForm() {
  const createBatch = useConsole((state) => state.createBatch);
  const submitState = useConsole((state) => state.batchSubmit);
  const blocked = useChangesBlocked();
  const apiUrl = useConsole((state) => state.settings.data?.api_url);
  const loadSettings = useConsole((state) => state.loadSettings);
  const [text, setText] = useState(() => jobsText(BATCH_PRESETS[0]!.jobs()));
  const [withCallback, setWithCallback] = useState(true);
  const [callbackUrl, setCallbackUrl] = useState('');
  const [localProblem, setLocalProblem] = useState<Problem | null>(null);
  const ids = useId();
  useEffect(() => void loadSettings(), [loadSettings]);

  const problem = localProblem ?? submitState?.problem ?? null;
  const accepted = submitState?.answer?.batch;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const jobs = parseJobs(text);
    if (!Array.isArray(jobs)) return setLocalProblem(jobs);
    setLocalProblem(null);
    const url = callbackUrl.trim() || inboxUrl(apiUrl);
    void createBatch({ jobs, ...(withCallback ? { on_complete: { callback_url: url } } : {}) });
  };

  return (
    <form className="card job-form stacked-form" aria-label="Submit a batch" onSubmit={submit}>
      <div className="job-form-header">
        <h3>Submit a batch</h3>
        <p className="muted small">Every job is checked first: one bad payload refuses the whole batch.</p>
      </div>
      <PresetButtons onPick={setText} />
      <div className="field">
        <label htmlFor={`${ids}-jobs`}>
          <span className="field-name">Jobs (JSON)</span>
        </label>
        <textarea id={`${ids}-jobs`} rows={9} spellCheck={false} value={text} onChange={(e) => setText(e.target.value)} aria-invalid={problem ? true : undefined} />
      </div>
      <CallbackOptions
        id={`${ids}-callback`}
        enabled={withCallback}
        onEnabled={setWithCallback}
        url={callbackUrl}
        onUrl={setCallbackUrl}
        placeholder={inboxUrl(apiUrl)}
      />
      {problem && <BatchProblem problem={problem} />}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={submitState?.pending || blocked}>
          {submitState?.pending ? 'Submitting…' : 'Submit batch'}
        </button>
        {accepted && !problem && (
          <p className="form-result" role="status">
            Batch <EntityLink entity={{ kind: 'batch', id: accepted.id }} /> accepted with {accepted.job_ids.length} jobs.
          </p>
        )}
      </div>
    </form>
  );
}
