import { parseStreamRecord, type StreamEvent } from '../../src-shared/events';

/** Entries kept parsed: the readers of one stream are seldom further apart than this. */
const CAPACITY = 5_000;

/** Parsed events by `<stream> <entry ID>`, oldest first (a Map keeps insertion order). */
const parsed = new Map<string, StreamEvent | null>();

/** The JSON text of each job event as it came (the job's JSON as the status script wrote it). */
const texts = new WeakMap<StreamEvent, string>();

/**
 * The events of a page of stream entries. The relay and each consumer group (history, topic,
 * webhooks, batches) read the same entries, so each is parsed once and shared: parsing the job's
 * JSON again per reader was most of their cost. The events are shared objects: readers must not
 * change them. An entry trimmed away while pending (nil fields) or not an event is skipped.
 */
export function parseEntries(stream: string, entries: [string, string[] | null][]): StreamEvent[] {
  const events: StreamEvent[] = [];
  for (const [id, fields] of entries) {
    const key = `${stream} ${id}`;
    let event = parsed.get(key);
    if (event === undefined) {
      if (!fields) continue;
      event = parseStreamRecord(id, fields) ?? null;
      const job = event && event.type !== 'batch' ? jobText(fields) : undefined;
      if (event && job !== undefined) texts.set(event, job);
      parsed.set(key, event);
      if (parsed.size > CAPACITY) parsed.delete(parsed.keys().next().value!);
    }
    if (event) events.push(event);
  }
  return events;
}

function jobText(fields: readonly string[]): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === 'job') return fields[i + 1];
  return undefined;
}

/**
 * An event as JSON, the same as `JSON.stringify(event)`; a job event read from the stream reuses
 * the job's JSON text instead of serialising the parsed job again (the topic publisher sends
 * every event, and the job is most of it).
 */
export function eventJson(event: StreamEvent): string {
  const job = texts.get(event);
  if (job === undefined) return JSON.stringify(event);
  const head = JSON.stringify({ ...event, job: undefined });
  return `${head.slice(0, -1)},"job":${job}}`;
}
