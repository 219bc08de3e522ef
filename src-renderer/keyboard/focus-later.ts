const FOCUS_WAIT_FRAMES = 10;

/**
 * Focuses an element as soon as React (or a virtual list, after a scroll) has rendered it:
 * tries each animation frame, a few frames at most, and gives up quietly.
 */
export function focusWhenRendered(find: () => HTMLElement | null, frames = FOCUS_WAIT_FRAMES): void {
  requestAnimationFrame(() => {
    const element = find();
    if (element) element.focus();
    else if (frames > 0) focusWhenRendered(find, frames - 1);
  });
}
