import { useEffect, useId, useState, type KeyboardEvent } from 'react';
import { paletteCommands, type Command } from '../keyboard/commands';
import { useFetchedJob, type FetchedJob } from '../keyboard/use-fetched-job';
import { useModalDialog } from '../keyboard/use-modal-dialog';
import { useConsole, useConsoleStore } from '../store/context';

function statusText(count: number, fetched: FetchedJob): string {
  if (fetched.status === 'loading') return `Looking up job ${fetched.id}…`;
  if (fetched.status === 'missing') return `No job ${fetched.id} in the history.`;
  if (fetched.status === 'failed') return `Could not ask the API for job ${fetched.id}.`;
  if (count === 0) return 'Nothing matches. Type a view, an action or the start of a job ID.';
  return `${count} ${count === 1 ? 'result' : 'results'}`;
}

function Option({ id, command, active, onChoose }: { id: string; command: Command; active: boolean; onChoose: () => void }) {
  return (
    // The input keeps focus (aria-activedescendant); a click chooses without taking it.
    <li id={id} role="option" aria-selected={active} className="palette-option" onMouseDown={(event) => event.preventDefault()} onClick={onChoose}>
      <span className="palette-group">{command.group}</span>
      <span className="palette-label">{command.label}</span>
      {command.keys && <kbd>{command.keys}</kbd>}
    </li>
  );
}

/**
 * The command palette (Ctrl+K, ⌘K): one box to go to a view, open a job by its ID (or the start
 * of it; a full ID the console does not hold is asked of the API) and run an action. A modal
 * dialog: arrows move through the list, Enter runs, Escape closes, focus goes back where it was.
 */
export function CommandPalette({ onClose, onOpenHelp }: { onClose: () => void; onOpenHelp: () => void }) {
  const store = useConsoleStore();
  const { ref, close, onCancel } = useModalDialog(onClose);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const listId = useId();
  // Read so the list follows the store while open (a job fetched, a status changed).
  useConsole((state) => state);
  const fetched = useFetchedJob(store, query);
  const commands = paletteCommands(store, query, { openHelp: onOpenHelp });
  const chosen = Math.min(active, commands.length - 1);
  const optionId = (index: number) => `${listId}-option-${index}`;

  useEffect(() => {
    if (chosen >= 0) document.getElementById(optionId(chosen))?.scrollIntoView({ block: 'nearest' });
  });

  const run = (command: Command | undefined) => {
    if (!command) return;
    close();
    command.run();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    // The key that opened the palette closes it (and never reaches the browser's own Ctrl+K).
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k') {
      event.preventDefault();
      close();
      return;
    }
    const step = event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : 0;
    if (step !== 0 && commands.length > 0) {
      event.preventDefault();
      setActive((chosen + step + commands.length) % commands.length);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      run(commands[chosen]);
    }
  };

  return (
    <dialog ref={ref} className="palette" aria-label="Command palette" onCancel={onCancel}>
      <input
        className="palette-input"
        role="combobox"
        aria-label="Go to a view, a job by ID, or run an action"
        aria-expanded="true"
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={chosen >= 0 ? optionId(chosen) : undefined}
        placeholder="Go to a view, a job ID, or an action…"
        value={query}
        autoFocus
        autoComplete="off"
        spellCheck={false}
        onChange={(event) => {
          setQuery(event.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
      />
      <ul id={listId} role="listbox" aria-label="Commands" className="palette-list">
        {commands.map((command, index) => (
          <Option key={command.key} id={optionId(index)} command={command} active={index === chosen} onChoose={() => run(command)} />
        ))}
      </ul>
      <p className="palette-status muted" role="status">
        {statusText(commands.length, fetched)}
      </p>
    </dialog>
  );
}
