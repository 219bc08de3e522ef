import { generalShortcuts, viewKeys } from '../keyboard/shortcuts';
import { useModalDialog } from '../keyboard/use-modal-dialog';
import { VIEWS } from '../store/nav-slice';
import { VIEW_TITLES } from '../view-titles';

function ShortcutRows({ rows }: { rows: readonly { keys: string; does: string }[] }) {
  return (
    <tbody>
      {rows.map((row) => (
        <tr key={row.does}>
          <th scope="row">
            <kbd>{row.keys}</kbd>
          </th>
          <td>{row.does}</td>
        </tr>
      ))}
    </tbody>
  );
}

/** The `?` overlay: every keyboard shortcut of the console, read from the one keyboard map. */
export function KeyboardHelp({ onClose }: { onClose: () => void }) {
  const { ref, close, onCancel } = useModalDialog(onClose);
  const views = VIEWS.map((view) => ({ keys: viewKeys(view).join(' or '), does: `Go to ${VIEW_TITLES[view]}` }));
  return (
    <dialog ref={ref} className="keyboard-help" aria-labelledby="keyboard-help-title" onCancel={onCancel}>
      <header className="panel-header">
        <h2 id="keyboard-help-title">Keyboard shortcuts</h2>
        <button type="button" className="secondary" onClick={close} autoFocus>
          Close
        </button>
      </header>
      <table className="data-table shortcut-table">
        <caption className="muted">Anywhere but while typing in a field</caption>
        <ShortcutRows rows={generalShortcuts()} />
        <ShortcutRows rows={views} />
      </table>
    </dialog>
  );
}
