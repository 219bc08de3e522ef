import type { Redis } from 'ioredis';
import type { Job } from '../../src-shared/job';
import type { Names } from '../../src-shared/topology';
import { UUID_PATTERN } from '../../src-shared/wire';

const SCAN_COUNT = 1_000;

/**
 * Every job Redis holds, a page at a time (`SCAN` over `<ns>:job:*`, each page read with
 * `read`): what the history rebuilds from when the event stream lost events it had not recorded.
 * A job that was written during the scan may be seen twice, never missed.
 */
export async function* jobsInRedis(redis: Redis, names: Names, read: (id: string) => Promise<Job | null>): AsyncGenerator<Job[]> {
  const prefix = names.jobKey('');
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', SCAN_COUNT);
    cursor = next;
    const ids = keys.map((key) => key.slice(prefix.length)).filter((id) => UUID_PATTERN.test(id));
    const jobs = await Promise.all(ids.map(read));
    yield jobs.filter((job): job is Job => job !== null);
  } while (cursor !== '0');
}
