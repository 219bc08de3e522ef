import { useState } from 'react';
import { useChangesBlockedReason } from '../access/access-context';
import { TypedConfirm, type ConfirmTarget } from './TypedConfirm';

/**
 * Asks before something that cannot be undone; the safe choice is one click away. With `typed`
 * (a writable production profile) the operator types the target's name first, and `onConfirm`
 * gets it as the API's `confirm`.
 */
export function ConfirmDialog({
  id,
  title,
  text,
  confirmLabel,
  cancelLabel,
  typed,
  onConfirm,
  onDone,
}: {
  /** Prefix of the title's and text's element IDs; unique on the page. */
  id: string;
  title: string;
  text: string;
  confirmLabel: string;
  cancelLabel: string;
  typed?: ConfirmTarget | null;
  onConfirm: (confirm?: string) => void;
  /** Closes the dialog (after either choice). */
  onDone: () => void;
}) {
  const blockedReason = useChangesBlockedReason();
  const [typedText, setTyped] = useState('');
  const typedWrong = typed ? typedText !== typed.target : false;
  return (
    <div className="confirm" role="alertdialog" aria-labelledby={`${id}-title`} aria-describedby={`${id}-text`}>
      <p id={`${id}-title`} className="notice-title">
        {title}
      </p>
      <p id={`${id}-text`}>{text}</p>
      {typed && <TypedConfirm id={id} confirm={typed} typed={typedText} onType={setTyped} />}
      <div className="button-row">
        <button
          type="button"
          className="danger"
          autoFocus={!typed}
          disabled={blockedReason !== null || typedWrong}
          title={blockedReason ?? undefined}
          onClick={() => {
            onDone();
            onConfirm(typed ? typedText : undefined);
          }}
        >
          {confirmLabel}
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          {cancelLabel}
        </button>
      </div>
    </div>
  );
}
