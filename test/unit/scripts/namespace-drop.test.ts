import { describe, expect, it } from 'vitest';
import { DropError, namespaceExchanges, namespaceQueues, parseArgs } from '../../../scripts/namespace-drop';
import { namesFor } from '../../../src-shared/topology';

describe('namespace:drop arguments', () => {
  it('takes one namespace and an optional --yes', () => {
    expect(parseArgs(['jdt_old'])).toEqual({ namespace: 'jdt_old', yes: false });
    expect(parseArgs(['--yes', 'jdt_old'])).toEqual({ namespace: 'jdt_old', yes: true });
  });

  it('refuses a missing, doubled or invalid name with the namespace rule', () => {
    expect(() => parseArgs([])).toThrow('usage: npm run namespace:drop -- <namespace> [--yes]');
    expect(() => parseArgs(['a', 'b'])).toThrow(DropError);
    expect(() => parseArgs(['--force'])).toThrow('usage');
    expect(() => parseArgs(['jobdeck.jobs'])).toThrow('"jobdeck.jobs" is not a namespace: a namespace is lowercase letters, digits and _');
    expect(() => parseArgs(['*'])).toThrow(DropError);
  });
});

describe('namespace:drop broker names', () => {
  it('lists every kind queue, each rung of every ladder once, and the dead-letter queue', () => {
    const queues = namespaceQueues(namesFor('ns'), [[1000, 2000], [2000, 4000]]);
    expect(queues.filter((q) => q.startsWith('ns.jobs.log'))).toEqual([
      'ns.jobs.log',
      'ns.jobs.log.retry.1000ms',
      'ns.jobs.log.retry.2000ms',
      'ns.jobs.log.retry.4000ms',
      'ns.jobs.log.dead',
    ]);
    expect(queues).toHaveLength(15);
    expect(queues.every((q) => q.startsWith('ns.'))).toBe(true);
  });

  it('lists the jobs and events exchanges', () => {
    expect(namespaceExchanges(namesFor('ns'))).toEqual(['ns.jobs', 'ns.events']);
  });
});
