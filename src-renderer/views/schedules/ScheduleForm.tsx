import { useId, useMemo, useState, type FormEvent } from 'react';
import type { MissedPolicy } from '../../../src-shared/schedule-schemas';
import { cronInWords, cronProblem } from '../../../src-shared/cron';
import { useConsole } from '../../store/context';
import { selectors } from '../../store/selectors';
import { useChangesBlocked } from '../../access/access-context';

/** Every IANA zone the browser knows, for the zone field's suggestions. */
function knownZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  return ['UTC', ...(intl.supportedValuesOf?.('timeZone') ?? [])];
}

/** Parses the payload text: an object, or why not. */
function parsePayload(text: string): { payload: Record<string, unknown> } | { error: string } {
  if (text.trim() === '') return { payload: {} };
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return { payload: value as Record<string, unknown> };
    return { error: 'must be a JSON object' };
  } catch (error) {
    return { error: `is not JSON: ${(error as Error).message}` };
  }
}

/** The cron field: what the expression means in words as it is typed, or why it does not read. */
function CronField({ id, value, onChange, errors }: { id: string; value: string; onChange: (cron: string) => void; errors: string[] }) {
  const problem = value.trim() ? cronProblem(value) : null;
  const words = problem ? null : cronInWords(value);
  const shown = [...(problem ? [`cron ${problem}`] : []), ...errors];
  return (
    <div className="field">
      <label htmlFor={id}>
        <span className="field-name">Cron</span> <code className="muted small">sec? min hour day month weekday</code>
      </label>
      <input id={id} type="text" spellCheck={false} required value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={shown.length ? true : undefined} aria-describedby={`${id}-words`} />
      <p id={`${id}-words`} className="field-hint cron-words" aria-live="polite">
        {words ?? (value.trim() ? '' : 'Five fields, or six with seconds first: */2 * * * * * is every two seconds.')}
      </p>
      {shown.length > 0 && <p className="field-error">{shown.join(' ')}</p>}
    </div>
  );
}

const fieldErrors = (errors: readonly { field: string; message: string }[], match: (field: string) => boolean) =>
  errors.filter((e) => match(e.field)).map((e) => e.message);

/** Creates a schedule: kind, payload (JSON, checked by the kind's schema on create), cron, zone, missed policy. */
export function ScheduleForm() {
  const create = useConsole((state) => state.createSchedule);
  const problem = useConsole((state) => state.scheduleForm?.problem ?? null);
  const pending = useConsole((state) => state.scheduleForm?.pending ?? false);
  const blocked = useChangesBlocked();
  const kinds = useConsole(selectors.kindNames);
  const zones = useMemo(knownZones, []);
  const ids = useId();
  const [kind, setKind] = useState('');
  const [payloadText, setPayloadText] = useState('{}');
  const [cron, setCron] = useState('*/30 * * * * *');
  const [zone, setZone] = useState('UTC');
  const [missed, setMissed] = useState<MissedPolicy>('skip');
  const parsed = parsePayload(payloadText);
  const errors = problem?.errors ?? [];
  const payloadErrors = [...('error' in parsed ? [`payload ${parsed.error}`] : []), ...fieldErrors(errors, (f) => f === 'payload' || f.startsWith('payload.'))];
  const chosenKind = kind || kinds[0] || '';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if ('error' in parsed) return;
    void create({ kind: chosenKind, payload: parsed.payload, cron: cron.trim(), time_zone: zone.trim(), missed });
  };

  return (
    <form className="card job-form stacked-form schedule-form" aria-label="Create a schedule" onSubmit={submit}>
      <div className="job-form-header">
        <h3>New schedule</h3>
        <p className="muted small">Each due time submits one ordinary job, once, whichever console fires it.</p>
      </div>
      <div className="field">
        <label htmlFor={`${ids}-kind`}>
          <span className="field-name">Kind</span>
        </label>
        <select id={`${ids}-kind`} value={chosenKind} onChange={(e) => setKind(e.target.value)}>
          {kinds.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
        {fieldErrors(errors, (f) => f === 'kind').map((m) => (
          <p key={m} className="field-error">
            {m}
          </p>
        ))}
      </div>
      <div className="field">
        <label htmlFor={`${ids}-payload`}>
          <span className="field-name">Payload (JSON)</span>
        </label>
        <textarea id={`${ids}-payload`} rows={4} spellCheck={false} value={payloadText} onChange={(e) => setPayloadText(e.target.value)} aria-invalid={payloadErrors.length ? true : undefined} />
        {payloadErrors.length > 0 && <p className="field-error">{payloadErrors.join(' ')}</p>}
      </div>
      <CronField id={`${ids}-cron`} value={cron} onChange={setCron} errors={fieldErrors(errors, (f) => f === 'cron')} />
      <div className="field">
        <label htmlFor={`${ids}-zone`}>
          <span className="field-name">Time zone</span>
        </label>
        <input id={`${ids}-zone`} type="text" list={`${ids}-zones`} spellCheck={false} value={zone} onChange={(e) => setZone(e.target.value)} />
        <datalist id={`${ids}-zones`}>
          {zones.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
        {fieldErrors(errors, (f) => f === 'time_zone').map((m) => (
          <p key={m} className="field-error">
            {m}
          </p>
        ))}
      </div>
      <div className="field">
        <label htmlFor={`${ids}-missed`}>
          <span className="field-name">Missed runs</span>
        </label>
        <select id={`${ids}-missed`} value={missed} onChange={(e) => setMissed(e.target.value as MissedPolicy)}>
          <option value="skip">skip</option>
          <option value="run_once">run once</option>
        </select>
        <p className="field-hint">Due times that passed while no console ran: skip fires none of them; run once fires one run for them all.</p>
      </div>
      {problem && !problem.errors?.length && (
        <p className="inline-error" role="alert">
          {problem.title}: {problem.detail}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={pending || blocked || 'error' in parsed}>
          {pending ? 'Creating…' : 'Create schedule'}
        </button>
      </div>
    </form>
  );
}
