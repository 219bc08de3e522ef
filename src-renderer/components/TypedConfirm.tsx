import { useConsole } from '../store/context';
import { asksTypedConfirm } from '../store/mode-slice';

/** What a destructive verb on production wants typed (the API's `confirm`), and what that text is. */
export interface ConfirmTarget {
  target: string;
  /** `the kind's name`, `the profile's name`… */
  what: string;
}

/** The target to type when the active profile is a writable production one; null elsewhere (no typing asked). */
export function useTypedConfirm(target: ConfirmTarget): ConfirmTarget | null {
  const production = useConsole((state) => asksTypedConfirm(state.mode.data));
  return production ? target : null;
}

/** The profile's name, what bulk cancel and dead-letter discard want typed on production. */
export function useProfileNameConfirm(): ConfirmTarget | null {
  const name = useConsole((state) => state.mode.data?.name ?? '');
  return useTypedConfirm({ target: name, what: "the profile's name" });
}

/** Asks the operator to type the target's name before a destructive verb on production. */
export function TypedConfirm({ id, confirm, typed, onType }: { id: string; confirm: ConfirmTarget; typed: string; onType: (text: string) => void }) {
  return (
    <label className="field typed-confirm" htmlFor={`${id}-typed`}>
      <span>
        This is a production profile. Type <code>{confirm.target}</code> ({confirm.what}) to confirm.
      </span>
      <input
        id={`${id}-typed`}
        type="text"
        autoFocus
        autoComplete="off"
        spellCheck={false}
        value={typed}
        aria-invalid={typed !== '' && typed !== confirm.target}
        onChange={(event) => onType(event.target.value)}
      />
    </label>
  );
}
