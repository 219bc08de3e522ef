import { useState } from 'react';
import { useConsole } from '../../store/context';

/** The secret of the subscription just created, shown this once, with a copy button. */
export function CreatedSecret() {
  const created = useConsole((state) => state.createdSecret);
  const dismiss = useConsole((state) => state.dismissSecret);
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  if (!created) return null;
  const copy = () => {
    navigator.clipboard.writeText(created.secret).then(
      () => setCopied('copied'),
      () => setCopied('failed'),
    );
  };
  return (
    <div className="notice notice-info secret-notice" role="note" aria-labelledby="secret-title">
      <p className="notice-title" id="secret-title">
        Signing secret: copy it now, it is not shown again.
      </p>
      <div className="secret-row">
        <code className="secret" aria-label="Signing secret">
          {created.secret}
        </code>
        <button type="button" className="secondary" onClick={copy}>
          Copy secret
        </button>
        <button type="button" className="secondary" onClick={dismiss}>
          Hide secret
        </button>
      </div>
      <p className="muted small" role="status">
        {copied === 'copied' ? 'Copied to the clipboard.' : copied === 'failed' ? 'The clipboard refused: select the secret and copy it by hand.' : ''}
      </p>
    </div>
  );
}
