import { describe, expect, it } from 'vitest';
import { fuzzyFilter, fuzzyScore } from '../../../src-renderer/keyboard/fuzzy';

describe('fuzzy match', () => {
  it('matches characters in order, not out of order', () => {
    expect(fuzzyScore('gtj', 'Go to Jobs')).not.toBeNull();
    expect(fuzzyScore('jg', 'Go to Jobs')).toBeNull();
    expect(fuzzyScore('', 'anything')).toBe(0);
  });

  it('ranks word starts and runs above scattered letters', () => {
    const labels = ['Go to Subscriptions', 'Go to Jobs', 'Submit a job: log (A)'];
    expect(fuzzyFilter('gj', labels, (label) => label)[0]).toBe('Go to Jobs');
    expect(fuzzyFilter('submit', labels, (label) => label)).toEqual(['Submit a job: log (A)']);
    expect(fuzzyFilter('retry', labels, (label) => label)).toEqual([]);
  });
});
