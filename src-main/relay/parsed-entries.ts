import { parseStreamRecord, type StreamEvent } from '../../src-shared/events';

/** Entries kept parsed: the readers of one stream are seldom further apart than this. */
const CAPACITY = 5_000;

/** Parsed events by `<stream> <entry ID>`, oldest first (a Map keeps insertion order). */
const parsed = new Map<string, StreamEvent | null>();

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
      parsed.set(key, event);
      if (parsed.size > CAPACITY) parsed.delete(parsed.keys().next().value!);
    }
    if (event) events.push(event);
  }
  return events;
}
