/** Where a key was pressed, as the console's shortcuts need to know it. */

/** Keys typed here are text: a plain-letter shortcut must not fire. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color', 'file'].includes(target.type);
}

/** A key pressed in a dialog (the palette, a confirmation) belongs to that dialog. */
export function isInDialog(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest('dialog, [role="dialog"], [role="alertdialog"]') !== null;
}

/** A shortcut the page itself may take: nothing else handled the key and no dialog owns it. */
export function isFreeKey(event: KeyboardEvent): boolean {
  return !event.defaultPrevented && !isInDialog(event.target);
}
