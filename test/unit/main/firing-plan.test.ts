import { describe, expect, it } from 'vitest';
import { nextDue, planFiring as planWithGrace, START_GRACE_MS, type FiringInput } from '../../../src-main/schedules/firing-plan';

const at = (time: string) => new Date(`2026-01-01T00:00:${time}Z`);
const every2s = (missed: FiringInput['missed'], firedThrough: string): FiringInput => ({
  cron: '*/2 * * * * *',
  time_zone: 'UTC',
  missed,
  fired_through: at(firedThrough),
});
/** The policies alone: no start grace (a console started at `startedAt` counts every due time before it as missed). */
const planFiring = (schedule: FiringInput, startedAt: Date, now: Date) => planWithGrace(schedule, startedAt, now, 0);
const iso = (dates: Date[]) => dates.map((date) => date.toISOString().slice(17, 23));

describe('which due times fire (the missed policies)', () => {
  it('a running console fires each due time that came since the last pass', () => {
    const plan = planFiring(every2s('skip', '02.000'), at('00.000'), at('06.010'));
    expect(iso(plan.fire)).toEqual(['04.000', '06.000']);
    expect(plan.through).toEqual(at('06.000'));
  });

  it('nothing due: nothing fires, nothing moves', () => {
    const plan = planFiring(every2s('skip', '02.000'), at('00.000'), at('03.000'));
    expect(plan.fire).toEqual([]);
    expect(plan.through).toEqual(at('02.000'));
  });

  it('skip: due times that passed before this console started fire none; the next ones fire on time', () => {
    // Last handled 02; down until 11.5; now 12.1: 04, 06, 08, 10 were missed.
    const plan = planFiring(every2s('skip', '02.000'), at('11.500'), at('12.100'));
    expect(iso(plan.fire)).toEqual(['12.000']);
    expect(plan.through).toEqual(at('12.000'));
    expect(plan.missed).toEqual({ first: at('04.000'), last: at('10.000') });
  });

  it('run_once: one run for all the missed due times, at the latest of them, then the on-time ones', () => {
    const plan = planFiring(every2s('run_once', '02.000'), at('11.500'), at('12.100'));
    expect(iso(plan.fire)).toEqual(['10.000', '12.000']);
    const atStart = planFiring(every2s('run_once', '02.000'), at('11.500'), at('11.600'));
    expect(iso(atStart.fire)).toEqual(['10.000']);
    expect(atStart.through).toEqual(at('10.000'));
  });

  it('run_once with nothing missed fires no extra run', () => {
    const plan = planFiring(every2s('run_once', '10.000'), at('11.500'), at('12.100'));
    expect(iso(plan.fire)).toEqual(['12.000']);
    expect(plan.missed).toBeNull();
  });

  it('a due time exactly at the start is on time, not missed', () => {
    expect(iso(planFiring(every2s('skip', '02.000'), at('12.000'), at('12.000')).fire)).toEqual(['12.000']);
  });

  it('the next due time counts from what was handled and from now', () => {
    expect(nextDue(every2s('skip', '12.000'), at('12.500'))).toEqual(at('14.000'));
    expect(nextDue(every2s('skip', '02.000'), at('12.500'))).toEqual(at('14.000'));
  });
});

describe('a console starting while another runs late (the start grace)', () => {
  const minuteOf = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 0, 1, 0) + seconds * 1000);
  const everySecond = (firedThrough: Date): FiringInput => ({ cron: '* * * * * *', time_zone: 'UTC', missed: 'skip', fired_through: firedThrough });

  it('skip: a due time just before this console started is fired, not skipped (the other console, late, finds it claimed)', () => {
    // The first console handled 00:01:10 and is lagging; the second starts at 10.500 and passes at 11.100.
    const plan = planWithGrace(everySecond(minuteOf(10)), minuteOf(10.5), minuteOf(11.1));
    expect(plan.missed).toBeNull();
    expect(plan.fire).toEqual([minuteOf(11)]);
    // A due time between the handled one and the start is on time too.
    const behind = planWithGrace(everySecond(minuteOf(8)), minuteOf(10.5), minuteOf(10.6));
    expect(behind.missed).toBeNull();
    expect(behind.fire).toEqual([minuteOf(9), minuteOf(10)]);
  });

  it('only due times older than the grace before the start are missed', () => {
    const graceS = START_GRACE_MS / 1000;
    const plan = planWithGrace(everySecond(minuteOf(0)), minuteOf(graceS + 5.5), minuteOf(graceS + 5.6));
    expect(plan.missed).toEqual({ first: minuteOf(1), last: minuteOf(5) });
    expect(plan.fire[0]).toEqual(minuteOf(6));
    expect(plan.fire.at(-1)).toEqual(minuteOf(graceS + 5));
    expect(plan.through).toEqual(minuteOf(graceS + 5));
  });
});
