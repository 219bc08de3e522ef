import { useChangesBlocked } from '../access/access-context';

/** Asks before something that cannot be undone; the safe choice is one click away. */
export function ConfirmDialog({
  id,
  title,
  text,
  confirmLabel,
  cancelLabel,
  onConfirm,
  onDone,
}: {
  /** Prefix of the title's and text's element IDs; unique on the page. */
  id: string;
  title: string;
  text: string;
  confirmLabel: string;
  cancelLabel: string;
  onConfirm: () => void;
  /** Closes the dialog (after either choice). */
  onDone: () => void;
}) {
  const blocked = useChangesBlocked();
  return (
    <div className="confirm" role="alertdialog" aria-labelledby={`${id}-title`} aria-describedby={`${id}-text`}>
      <p id={`${id}-title`} className="notice-title">
        {title}
      </p>
      <p id={`${id}-text`}>{text}</p>
      <div className="button-row">
        <button
          type="button"
          className="danger"
          autoFocus
          disabled={blocked}
          onClick={() => {
            onDone();
            onConfirm();
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
