import { describe, expect, it } from 'vitest';
import { paletteKey, VIEW_LETTER, viewKeys, viewOfDigit, viewOfLetter } from '../../../src-renderer/keyboard/shortcuts';
import { VIEWS } from '../../../src-renderer/store/nav-slice';

describe('keyboard map', () => {
  it('gives every view a letter of its own, which opens it', () => {
    const letters = VIEWS.map((view) => VIEW_LETTER[view]);
    expect(new Set(letters).size).toBe(VIEWS.length);
    for (const view of VIEWS) expect(viewOfLetter(VIEW_LETTER[view].toUpperCase())).toBe(view);
    expect(viewOfLetter('g')).toBeUndefined();
  });

  it('opens the first nine views with Alt+digit and says so', () => {
    expect(viewOfDigit('3')).toBe('jobs');
    expect(viewOfDigit('0')).toBeUndefined();
    expect(viewKeys('jobs')).toEqual(['G J', 'Alt+3']);
    expect(viewKeys('settings')).toEqual(['G E']);
  });

  it('spells the palette key as the platform does', () => {
    expect(paletteKey('MacIntel')).toBe('⌘K');
    expect(paletteKey('Linux x86_64')).toBe('Ctrl+K');
  });
});
