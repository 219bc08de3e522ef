import { useConsole } from '../../store/context';

/** "Compare" in the bulk bar: opens the Compare view on the two jobs ticked, in the order they were ticked. */
export function CompareChecked() {
  const pair = useConsole((state) => (state.checkedQuery === null && state.checkedJobIds.size === 2 ? [...state.checkedJobIds].join(' ') : null));
  const openRoute = useConsole((state) => state.openRoute);
  const open = () => {
    const [left, right] = pair?.split(' ') ?? [];
    if (left && right) openRoute({ view: 'compare', compare: { type: 'jobs', left, right } });
  };
  return (
    <button
      type="button"
      className="secondary"
      aria-disabled={pair === null || undefined}
      title={pair === null ? 'Tick exactly two jobs to compare them.' : 'Set the two jobs side by side.'}
      onClick={open}
    >
      Compare
    </button>
  );
}
