import { describe, expect, it } from 'vitest';
import { batchEventFields, type BatchEvent, type JobEvent } from '../../../src-shared/events';
import { eventJson, parseEntries } from '../../../src-main/relay/parsed-entries';

/** A job's JSON as the status script writes it: Lua's cjson escapes `/`, which JSON.stringify does not. */
const jobText = (id: string) =>
  `{"id":"${id}","kind":"log","type":"A","status":"DONE","payload":{"client_time":"2019-09-22T18:38:15.000Z"},"progress":100,` +
  `"attempts":1,"created_at":"2026-01-01T00:00:00.000Z","updated_at":"2026-01-01T00:00:01.000Z",` +
  `"transitions":[{"status":"DONE","at":"2026-01-01T00:00:01.000Z","worker":"host\\/42"}],"result":{"rows":1},"error":null,"version":9}`;

describe('stream entries parsed once', () => {
  it('gives every reader of a stream the same event, and skips entries that are no event', () => {
    const entries: [string, string[] | null][] = [
      ['1-0', ['version', '9', 'job', jobText('a')]],
      ['1-1', ['foo', 'bar']],
      ['1-2', null],
    ];
    const first = parseEntries('unit-stream-1', entries);
    const second = parseEntries('unit-stream-1', entries);
    expect(first).toHaveLength(1);
    expect(second[0]).toBe(first[0]);
    expect(first[0]).toMatchObject({ id: '1-0', type: 'job', job_id: 'a', status: 'DONE', version: 9, result: { rows: 1 } });
    // Another stream with the same entry IDs (another namespace) gets its own events.
    expect(parseEntries('unit-stream-2', [['1-0', ['version', '3', 'job', jobText('b')]]])[0]).toMatchObject({ job_id: 'b', version: 3 });
  });

  it('writes an event as JSON that reads back as the same event, reusing the job text', () => {
    const [job] = parseEntries('unit-stream-3', [['2-0', ['version', '9', 'job', jobText('c')]]]);
    const [batch] = parseEntries('unit-stream-3', [
      ['2-1', batchEventFields({ type: 'batch', batch_id: 'b1', kind: 'batch', status: 'COMPLETED', at: 'x', counts: { DONE: 1 }, job_ids: ['c'] } satisfies Omit<BatchEvent, 'id'>)],
    ]);
    expect(eventJson(job!)).toContain('"worker":"host\\/42"');
    expect(JSON.parse(eventJson(job!))).toEqual(JSON.parse(JSON.stringify(job)));
    expect(eventJson(batch!)).toBe(JSON.stringify(batch));
    // A changed copy is not the entry read: it is serialised as it is.
    const changed: JobEvent = { ...(job as JobEvent), status: 'FAILED' };
    expect(eventJson(changed)).toBe(JSON.stringify(changed));
  });
});
