import { describe, expect, it } from 'vitest';
import { viewOfHash } from '../../../src-renderer/store/nav-slice';

describe('nav slice', () => {
  it('reads the view from the hash, and refuses what names no view', () => {
    expect(viewOfHash('#/workers')).toBe('workers');
    expect(viewOfHash('#mail')).toBe('mail');
    expect(viewOfHash('#/nope')).toBeNull();
    expect(viewOfHash('')).toBeNull();
  });
});
