import { useId, useState } from 'react';

/** A signing secret the API shows once, with a copy button and a hide button. */
export function SecretNotice({ title, label, secret, onHide }: { title: string; label: string; secret: string; onHide: () => void }) {
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  const titleId = useId();
  const copy = () => {
    navigator.clipboard.writeText(secret).then(
      () => setCopied('copied'),
      () => setCopied('failed'),
    );
  };
  return (
    <div className="notice notice-info secret-notice" role="note" aria-labelledby={titleId}>
      <p className="notice-title" id={titleId}>
        {title}
      </p>
      <div className="secret-row">
        <code className="secret" aria-label={label}>
          {secret}
        </code>
        <button type="button" className="secondary" onClick={copy}>
          Copy secret
        </button>
        <button type="button" className="secondary" onClick={onHide}>
          Hide secret
        </button>
      </div>
      <p className="muted small" role="status">
        {copied === 'copied' ? 'Copied to the clipboard.' : copied === 'failed' ? 'The clipboard refused: select the secret and copy it by hand.' : ''}
      </p>
    </div>
  );
}
