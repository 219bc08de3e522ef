import { useEffect, useRef } from 'react';
import type { ViewName } from '../store/nav-slice';
import { isFreeKey, isTypingTarget } from './key-targets';
import { SEQUENCE_TIMEOUT_MS, viewOfDigit, viewOfLetter } from './shortcuts';

export interface GlobalShortcutHandlers {
  navigate(view: ViewName): void;
  openPalette(): void;
  openHelp(): void;
}

/** The current view's search or filter box: the first in the main area. */
export function searchBoxOfView(root: ParentNode = document): HTMLElement | null {
  return root.querySelector<HTMLElement>('#main [role="search"] :is(input, select), #main input[type="search"]');
}

function isPaletteKey(event: KeyboardEvent): boolean {
  return (event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'k';
}

/**
 * The page-wide keys of shortcuts.ts: Ctrl+K (⌘K) and Alt+digit work anywhere outside a
 * dialog; `/`, `?` and `G` then a letter only when not typing in a field.
 */
export function useGlobalShortcuts(handlers: GlobalShortcutHandlers): void {
  const handlersRef = useRef(handlers);
  handlersRef.current = handlers;
  useEffect(() => {
    let gPressedAt = Number.NEGATIVE_INFINITY;
    const onKeyDown = (event: KeyboardEvent) => {
      if (!isFreeKey(event)) return;
      const { navigate, openPalette } = handlersRef.current;
      const digitView = event.altKey && !event.ctrlKey && !event.metaKey ? viewOfDigit(event.key) : undefined;
      const action = isPaletteKey(event) ? openPalette : digitView ? () => navigate(digitView) : plainKeyAction(event);
      if (!action) return;
      event.preventDefault();
      action();
    };
    /** What a plain key does, if anything; undefined lets the key through. */
    const plainKeyAction = (event: KeyboardEvent): (() => void) | undefined => {
      if (event.ctrlKey || event.metaKey || event.altKey || isTypingTarget(event.target)) return undefined;
      const afterG = event.timeStamp - gPressedAt <= SEQUENCE_TIMEOUT_MS;
      gPressedAt = Number.NEGATIVE_INFINITY;
      const letterView = afterG ? viewOfLetter(event.key) : undefined;
      if (letterView) return () => handlersRef.current.navigate(letterView);
      if (event.key === 'g' || event.key === 'G') return () => (gPressedAt = event.timeStamp);
      if (event.key === '?') return handlersRef.current.openHelp;
      const search = event.key === '/' ? searchBoxOfView() : null;
      return search ? () => search.focus() : undefined;
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
