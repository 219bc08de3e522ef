import { useEffect, useRef, useState, type SyntheticEvent } from 'react';

/**
 * A `<dialog>` shown modal from the moment it mounts (the page behind it is inert, focus stays
 * in it), which gives focus back on closing to the element that had it before it opened.
 * Escape arrives as the dialog's `cancel` event and closes it the same way.
 */
export function useModalDialog(onClosed: () => void) {
  const ref = useRef<HTMLDialogElement>(null);
  const [returnTo] = useState(() => document.activeElement);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  const close = () => {
    ref.current?.close();
    if (returnTo instanceof HTMLElement && returnTo.isConnected) returnTo.focus();
    onClosed();
  };
  const onCancel = (event: SyntheticEvent) => {
    event.preventDefault();
    close();
  };
  return { ref, close, onCancel };
}
