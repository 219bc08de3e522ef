import { useEffect, useState } from 'react';
import type { Problem } from '../../../src-shared/problem';
import type { ConnectionProfile, ProfileList, ProfileTest } from '../../../src-shared/profile-schemas';
import { PROFILE_ENVIRONMENTS } from '../../../src-shared/profile-schemas';
import { TypedConfirm } from '../../components/TypedConfirm';
import { describeError } from '../../store/failures';
import { useConsole } from '../../store/context';
import { bodyOf, draftOf, EMPTY_DRAFT, problemText, type ProfileDraft } from './profile-form';
import { ProfilesTransfer } from './ProfilesTransfer';

const SERVICE_LABELS = { rabbitmq: 'RabbitMQ', redis: 'Redis', postgresql: 'PostgreSQL', smtp: 'SMTP' } as const;

/** The words a switch is confirmed with; a production target says it opens read-only. */
export function switchQuestion(from: string, to: Pick<ConnectionProfile, 'name' | 'environment'>): string {
  const opens = to.environment === 'production' ? ` ${to.name} is production: it opens read-only until you unlock it for this run.` : '';
  return `Switch from ${from} to ${to.name}? Jobs in flight on ${from} finish or go back to their queue.${opens}`;
}

/** Settings' connection profiles: create, edit, duplicate, test, delete, activate (confirmed in words), unlock, export and import. */
export function ProfilesPanel() {
  const { data: list, error } = useConsole((state) => state.profiles);
  const loadProfiles = useConsole((state) => state.loadProfiles);
  const [editing, setEditing] = useState<{ id: string | null; draft: ProfileDraft } | null>(null);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  useEffect(() => {
    void loadProfiles();
  }, [loadProfiles]);

  return (
    <section className="card profiles-card" aria-labelledby="profiles-heading">
      <div className="profiles-head">
        <h3 id="profiles-heading">Connection profiles</h3>
        <button type="button" className="primary" onClick={() => setEditing({ id: null, draft: EMPTY_DRAFT })}>
          New profile
        </button>
      </div>
      {error && <p className="inline-error">Could not read the profiles: {error}</p>}
      {list && <SecretsLine list={list} />}
      {message && (
        <p className={message.error ? 'inline-error' : 'ok-text'} role="status">
          {message.text}
        </p>
      )}
      {editing && (
        <ProfileEditor
          key={editing.id ?? 'new'}
          id={editing.id}
          initial={editing.draft}
          onDone={(text) => {
            setEditing(null);
            if (text) setMessage({ text, error: false });
          }}
        />
      )}
      {list && (
        <table className="data-table profiles-table" aria-label="Connection profiles">
          <thead>
            <tr>
              <th scope="col">Profile</th>
              <th scope="col">Environment</th>
              <th scope="col">Namespace</th>
              <th scope="col">RabbitMQ (password masked)</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((profile) => (
              <ProfileRow key={profile.id} profile={profile} list={list} onEdit={() => setEditing({ id: profile.id, draft: draftOf(profile) })} onMessage={setMessage} />
            ))}
          </tbody>
        </table>
      )}
      {list && <ProfilesTransfer onMessage={setMessage} />}
    </section>
  );
}

function SecretsLine({ list }: { list: ProfileList }) {
  const { secrets, file } = list;
  return (
    <p className={`muted small${secrets.encrypted ? '' : ' secrets-plain'}`}>
      Saved in <code>{file}</code>. {secrets.note ?? `Passwords are encrypted (${secrets.backend}).`}
    </p>
  );
}

function ProfileRow({ profile, list, onEdit, onMessage }: { profile: ConnectionProfile; list: ProfileList; onEdit: () => void; onMessage: (m: { text: string; error: boolean }) => void }) {
  const duplicateProfile = useConsole((state) => state.duplicateProfile);
  const deleteProfile = useConsole((state) => state.deleteProfile);
  const testProfile = useConsole((state) => state.testProfile);
  const activateProfile = useConsole((state) => state.activateProfile);
  const unlockProfile = useConsole((state) => state.unlockProfile);
  const [test, setTest] = useState<ProfileTest | 'testing' | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [unlocking, setUnlocking] = useState(false);
  const [busy, setBusy] = useState(false);
  const active = list.active.id === profile.id;
  const saved = profile.id !== 'environment';
  const say = (result: { ok: true } | { ok: false; problem: Problem }, done: string) =>
    onMessage(result.ok ? { text: done, error: false } : { text: problemText(result.problem), error: true });

  const runTest = async () => {
    setTest('testing');
    try {
      setTest(await testProfile(profile.id));
    } catch (error) {
      setTest(null);
      onMessage({ text: describeError(error), error: true });
    }
  };
  const activate = async () => {
    setBusy(true);
    say(await activateProfile(profile.id), `Switched to ${profile.name}.`);
    setBusy(false);
  };

  return (
    <>
      <tr className={active ? 'profile-active' : undefined} data-profile={profile.id}>
        <th scope="row">
          <span className="profile-swatch" style={{ background: profile.color ?? 'transparent' }} aria-hidden="true" />
          {profile.name}
          {active && <span className="profile-live"> · live{list.active.read_only ? ' (read-only)' : ''}</span>}
        </th>
        <td>
          {profile.environment}
          {profile.environment === 'production' && <span className="prod-badge">PROD</span>}
          {profile.read_only && <span className="muted"> · read-only</span>}
        </td>
        <td>
          <code>{profile.namespace}</code>
        </td>
        <td>
          <code>{profile.amqp_url}</code>
        </td>
        <td>
          <div className="button-row compact">
            {!active && (
              <button type="button" className="primary" disabled={busy} onClick={() => setConfirming(true)}>
                Activate
              </button>
            )}
            {active && profile.environment === 'production' && list.active.read_only && !profile.read_only && (
              <button type="button" className="secondary" onClick={() => setUnlocking(true)}>
                Unlock for this run
              </button>
            )}
            <button type="button" className="secondary" onClick={() => void runTest()}>
              Test
            </button>
            {saved && (
              <button type="button" className="secondary" onClick={onEdit}>
                Edit
              </button>
            )}
            <button type="button" className="secondary" onClick={() => void duplicateProfile(profile.id).then((r) => say(r, `Saved a copy of ${profile.name}.`))}>
              Duplicate
            </button>
            {saved && !active && (
              <button type="button" className="danger" onClick={() => void deleteProfile(profile.id).then((r) => say(r, `Deleted ${profile.name}.`))}>
                Delete
              </button>
            )}
          </div>
        </td>
      </tr>
      {confirming && (
        <tr>
          <td colSpan={5}>
            <div className="confirm" role="alertdialog" aria-label="Switch profile">
              <p>{switchQuestion(list.items.find((p) => p.id === list.active.id)?.name ?? list.active.name, profile)}</p>
              <div className="button-row">
                <button type="button" className="primary" autoFocus onClick={() => (setConfirming(false), void activate())}>
                  Switch to {profile.name}
                </button>
                <button type="button" className="secondary" onClick={() => setConfirming(false)}>
                  Stay on {list.active.name}
                </button>
              </div>
            </div>
          </td>
        </tr>
      )}
      {unlocking && (
        <tr>
          <td colSpan={5}>
            <UnlockConfirm
              profile={profile}
              onDone={(unlock) => {
                setUnlocking(false);
                if (unlock) void unlockProfile(profile.id).then((r) => say(r, `${profile.name} unlocked for this run.`));
              }}
            />
          </td>
        </tr>
      )}
      {busy && (
        <tr>
          <td colSpan={5} className="muted" role="status">
            Switching to {profile.name}: the running jobs finish, then the console reconnects…
          </td>
        </tr>
      )}
      {test && (
        <tr>
          <td colSpan={5}>
            <TestResults test={test} />
          </td>
        </tr>
      )}
    </>
  );
}

/** Unlocking makes production writable: the operator types the profile's name first. */
function UnlockConfirm({ profile, onDone }: { profile: ConnectionProfile; onDone: (unlock: boolean) => void }) {
  const [typed, setTyped] = useState('');
  return (
    <form className="confirm" role="alertdialog" aria-label="Unlock profile" onSubmit={(e) => (e.preventDefault(), onDone(typed === profile.name))}>
      <p>Unlock {profile.name} for this run? Every changing button and API call works on production until the console stops.</p>
      <TypedConfirm id={`unlock-${profile.id}`} confirm={{ target: profile.name, what: "the profile's name" }} typed={typed} onType={setTyped} />
      <div className="button-row">
        <button type="submit" className="danger" disabled={typed !== profile.name}>
          Unlock {profile.name}
        </button>
        <button type="button" className="secondary" onClick={() => onDone(false)}>
          Keep it read-only
        </button>
      </div>
    </form>
  );
}

function TestResults({ test }: { test: ProfileTest | 'testing' }) {
  if (test === 'testing') return <p className="muted">Testing each service…</p>;
  return (
    <ul className="profile-test" aria-label="Test results">
      {(Object.keys(SERVICE_LABELS) as (keyof typeof SERVICE_LABELS)[]).map((name) => {
        const state = test.services[name];
        return (
          <li key={name} className={state.up ? 'ok-text' : 'inline-error'}>
            {SERVICE_LABELS[name]}: {state.up ? 'connected' : state.error}
          </li>
        );
      })}
    </ul>
  );
}

function ProfileEditor({ id, initial, onDone }: { id: string | null; initial: ProfileDraft; onDone: (message: string | null) => void }) {
  const saveProfile = useConsole((state) => state.saveProfile);
  const [draft, setDraft] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const text = (key: Exclude<keyof ProfileDraft, 'read_only' | 'environment'>, label: string, hint?: string) => (
    <label className="profile-field">
      <span>{label}</span>
      <input type={key === 'color' ? 'color' : 'text'} value={draft[key]} spellCheck={false} onChange={(e) => setDraft({ ...draft, [key]: e.target.value })} />
      {hint && <small className="muted">{hint}</small>}
    </label>
  );
  const save = async () => {
    const made = bodyOf(draft);
    if ('error' in made) return setError(made.error);
    const result = await saveProfile(id, made.body);
    if (!result.ok) return setError(problemText(result.problem));
    onDone(id === null ? `Saved ${result.profile.name}.` : `Saved ${result.profile.name}; its connections apply at its next activation.`);
  };
  return (
    <form className="profile-editor" aria-label={id === null ? 'New profile' : 'Edit profile'} onSubmit={(e) => (e.preventDefault(), void save())}>
      {text('name', 'Name')}
      <label className="profile-field">
        <span>Environment</span>
        <select value={draft.environment} onChange={(e) => setDraft({ ...draft, environment: e.target.value as ProfileDraft['environment'] })}>
          {PROFILE_ENVIRONMENTS.map((environment) => (
            <option key={environment}>{environment}</option>
          ))}
        </select>
      </label>
      {text('color', 'Colour')}
      {text('amqp_url', 'RabbitMQ URL')}
      {text('redis_url', 'Redis URL')}
      {text('database_url', 'PostgreSQL URL')}
      {text('smtp_url', 'SMTP URL', 'Empty: the embedded mail sink.')}
      {text('namespace', 'Namespace')}
      {text('workers', 'Workers', 'Per kind, e.g. log=2, email=0; JOBDECK_WORKERS wins over these.')}
      <label className="profile-check">
        <input type="checkbox" checked={draft.read_only} onChange={(e) => setDraft({ ...draft, read_only: e.target.checked })} /> Read-only (every changing verb refused)
      </label>
      <p className="muted small">Passwords show as ***; leave them so to keep the saved ones. A production profile opens read-only until unlocked for the run.</p>
      {error && <p className="inline-error">{error}</p>}
      <div className="button-row">
        <button type="submit" className="primary">
          Save profile
        </button>
        <button type="button" className="secondary" onClick={() => onDone(null)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
