import { useEffect } from 'react';
import type { Job } from '../../../src-shared/job';
import type { JobTiming } from '../../../src-shared/job-timing';
import { Time } from '../../components/Time';
import { formatMs } from '../../format';
import { useConsole } from '../../store/context';
import { timeBars, type BarKind, type TimeBar } from './time-bars';

const describe = (ms: number | null): string => (ms === null ? 'not over yet' : formatMs(ms));

const LEGEND: { kind: BarKind; text: string }[] = [
  { kind: 'queue', text: 'Waiting (scheduled, queued)' },
  { kind: 'attempt-done', text: 'Attempt done' },
  { kind: 'attempt-failed', text: 'Attempt failed' },
  { kind: 'retry', text: 'Retry wait' },
  { kind: 'delivery', text: 'Delivery' },
];

/** `left` and `width` of a stretch of the axis, in percent; at least a sliver, so an instant shows. */
function place(from: number, to: number, span: number): { left: string; width: string } {
  const left = (from / span) * 100;
  return { left: `${left}%`, width: `max(2px, ${Math.min(100 - left, ((to - from) / span) * 100)}%)` };
}

function Bar({ bar, span, asOf }: { bar: TimeBar; span: number; asOf: number }) {
  return (
    <li className="time-bar-row">
      <span className="time-bar-label">{bar.label}</span>
      <span className="time-bar-ms">{bar.ms === null ? '…' : formatMs(bar.ms)}</span>
      <div className="time-bar-track">
        <div className={`time-bar bar-${bar.kind}`} style={place(bar.from, bar.to ?? asOf, span)} role="img" aria-label={bar.description} title={bar.description} />
        {bar.inner.map((effect, index) => {
          const text = `Effect${bar.inner.length > 1 ? ` ${index + 1}` : ''} of ${bar.label.split(' · ')[0]}: ${formatMs(effect.ms)}`;
          return <div key={index} className="time-bar bar-effect" style={place(effect.from, effect.to, span)} role="img" aria-label={text} title={text} />;
        })}
      </div>
    </li>
  );
}

function Summary({ timing }: { timing: JobTiming }) {
  const parts = [
    timing.scheduled_ms > 0 && `scheduled ${formatMs(timing.scheduled_ms)}`,
    `queued ${formatMs(timing.queue_wait_ms)}`,
    `running ${formatMs(timing.run_ms)}${timing.effect_ms === null ? '' : ` (effect ${formatMs(timing.effect_ms)})`}`,
    timing.retry_wait_ms > 0 && `retry waits ${formatMs(timing.retry_wait_ms)}`,
  ].filter(Boolean);
  return (
    <p className="time-summary">
      <strong>{formatMs(timing.total_ms)}</strong>
      {timing.ended_at ? ' in all' : ' so far'}: {parts.join(', ')}
    </p>
  );
}

function Bars({ timing }: { timing: JobTiming }) {
  const { bars, span } = timeBars(timing, describe);
  const asOf = Date.parse(timing.as_of) - Date.parse(timing.created_at);
  return (
    <>
      <Summary timing={timing} />
      <ol className="time-bars" aria-labelledby="time-bars-heading">
        {bars.map((bar) => (
          <Bar key={bar.key} bar={bar} span={span} asOf={asOf} />
        ))}
      </ol>
      <div className="time-axis" aria-hidden="true">
        <Time iso={timing.created_at} milliseconds />
        <span>+{formatMs(span)}</span>
      </div>
      <ul className="time-legend" aria-label="Legend">
        {LEGEND.map(({ kind, text }) => (
          <li key={kind}>
            <span className={`time-swatch bar-${kind}`} aria-hidden="true" />
            {text}
          </li>
        ))}
        <li>
          <span className="time-swatch bar-effect" aria-hidden="true" />
          The effect&apos;s own time, as the handler reported it
        </li>
      </ul>
      {timing.notes.map((note) => (
        <p key={note} className="muted time-note">
          {note}
        </p>
      ))}
    </>
  );
}

/**
 * Where the job's time went, as bars on one time axis: waits, attempts with their effects inside,
 * retry waits, and the deliveries the job caused. Read with the job (its `timing`), again whenever
 * the job moves to another status or attempt.
 */
export function JobTimeBars({ job }: { job: Job }) {
  const read = useConsole((state) => (state.jobTiming.id === job.id ? state.jobTiming : null));
  const loadJobTiming = useConsole((state) => state.loadJobTiming);

  useEffect(() => {
    void loadJobTiming(job.id);
  }, [job.id, job.status, job.attempts, loadJobTiming]);

  return (
    <section className="job-time" aria-labelledby="time-bars-heading">
      <h3 id="time-bars-heading">Where the time went</h3>
      {read?.error && <p className="inline-error">Timing not read: {read.error}</p>}
      {read?.data ? <Bars timing={read.data} /> : <p className="muted">{read?.status === 'loaded' ? 'No timing for this job.' : 'Reading the timing…'}</p>}
    </section>
  );
}
