import { useState } from 'react';
import { useRecordListArrows } from '../keyboard/list-focus';
import { useGlobalShortcuts } from '../keyboard/use-global-shortcuts';
import type { ViewName } from '../store/nav-slice';
import { CommandPalette } from './CommandPalette';
import { KeyboardHelp } from './KeyboardHelp';

type Overlay = 'palette' | 'help' | null;

/** The page-wide shortcuts, and the command palette or the shortcuts list when one is open. */
export function KeyboardLayer({ navigate }: { navigate: (view: ViewName) => void }) {
  const [overlay, setOverlay] = useState<Overlay>(null);
  useGlobalShortcuts({
    navigate,
    openPalette: () => setOverlay('palette'),
    openHelp: () => setOverlay('help'),
  });
  useRecordListArrows();
  const closed = () => setOverlay(null);
  if (overlay === 'palette') return <CommandPalette onClose={closed} onOpenHelp={() => setOverlay('help')} />;
  if (overlay === 'help') return <KeyboardHelp onClose={closed} />;
  return null;
}
