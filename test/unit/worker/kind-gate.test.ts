import { describe, expect, it } from 'vitest';
import { KindGate } from '../../../src-worker/kind-gate';

describe('KindGate', () => {
  it('holds a kind while any reason holds it and tells each change once', () => {
    const gate = new KindGate();
    const changes: string[] = [];
    gate.subscribe((kind, open) => changes.push(`${kind} ${open ? 'open' : 'held'}`));
    gate.hold('log', 'paused');
    gate.hold('log', 'paused');
    gate.hold('log', 'postgres down');
    expect(gate.isOpen('log')).toBe(false);
    expect(gate.reasons('log')).toEqual(['paused', 'postgres down']);
    gate.release('log', 'paused');
    expect(gate.isOpen('log')).toBe(false);
    gate.release('log', 'postgres down');
    gate.release('log', 'postgres down');
    expect(gate.isOpen('log')).toBe(true);
    expect(gate.isOpen('email')).toBe(true);
    expect(changes).toEqual(['log held', 'log open']);
  });

  it('stops telling a listener that unsubscribed', () => {
    const gate = new KindGate();
    const changes: boolean[] = [];
    const unsubscribe = gate.subscribe((_kind, open) => changes.push(open));
    gate.hold('email', 'paused');
    unsubscribe();
    gate.release('email', 'paused');
    expect(changes).toEqual([false]);
  });
});
