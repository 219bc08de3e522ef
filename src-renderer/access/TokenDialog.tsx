import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useAccess, useAccessGate } from './access-context';

/** The command that makes a token, as the README and the console's refusal name it. */
const CREATE_COMMAND = 'npm run tokens -- create <name> --role read';

/**
 * Asks for an API token when the API answered 401: says why, names the command that makes one,
 * checks the token typed with the API, and keeps it for this browser session only. The requests
 * that were refused go again once a token is accepted.
 */
export function TokenDialog() {
  const access = useAccess();
  if (!access.asking) return null;
  return <TokenForm refused={access.refused} />;
}

function TokenForm({ refused }: { refused: string | null }) {
  const gate = useAccessGate()!;
  const ref = useRef<HTMLDialogElement>(null);
  const [token, setToken] = useState('');
  const [checking, setChecking] = useState(false);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setChecking(true);
    await gate.submit(token);
    setChecking(false);
  };
  return (
    // Escape does not close it: nothing on the page works until a token is given.
    <dialog ref={ref} className="token-dialog" aria-labelledby="token-dialog-title" aria-describedby="token-dialog-why" onCancel={(event) => event.preventDefault()}>
      <form onSubmit={(event) => void submit(event)}>
        <h2 id="token-dialog-title">API token needed</h2>
        <p id="token-dialog-why">
          This console is open to the network, so its API answers only requests that carry a token.
        </p>
        <p className="muted small">
          Whoever runs the console makes one with <code>{CREATE_COMMAND}</code> (or <code>--role write</code> to change things). The page keeps
          it for this browser tab's session only.
        </p>
        <label className="field">
          Token
          <input
            type="password"
            name="token"
            autoComplete="off"
            spellCheck={false}
            value={token}
            autoFocus
            aria-invalid={refused !== null}
            aria-describedby={refused ? 'token-dialog-refused' : undefined}
            onChange={(event) => setToken(event.target.value)}
          />
        </label>
        {refused && (
          <p id="token-dialog-refused" className="field-error" role="alert">
            That token was refused: {refused}
          </p>
        )}
        <div className="button-row">
          <button type="submit" className="primary" disabled={checking || token.trim() === ''}>
            {checking ? 'Checking…' : 'Use token'}
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** The sidebar's line naming the token in use and its role, with a way to forget a typed one. */
export function AccessLine() {
  const gate = useAccessGate();
  const access = useAccess();
  useEffect(() => {
    void gate?.refreshActor();
  }, [gate]);
  if (!gate || !access.actor || access.actor.name === 'local') return null;
  const { name, role } = access.actor;
  return (
    <p className="access-line muted small" aria-label="API token">
      Token <strong>{name}</strong> · {role === 'read' ? 'read only: changes are refused' : 'read and write'}
      {!access.fromWindow && (
        <button type="button" className="secondary access-forget" onClick={() => gate.forget()}>
          Forget
        </button>
      )}
    </p>
  );
}

/** Over every view while the page's token is a read token: says why its changing buttons are disabled. */
export function ReadOnlyBanner() {
  const access = useAccess();
  if (access.actor?.role !== 'read') return null;
  return (
    <div className="readonly-banner" role="status">
      <p>
        Token <strong>{access.actor.name}</strong> may read only: the buttons that change something are disabled, as the API refuses them
        (403). A token made with <code>npm run tokens -- create &lt;name&gt; --role write</code> may change things.
      </p>
    </div>
  );
}
