import type { Redis } from 'ioredis';
import { LuaScript } from '../../src-shared/node/lua-script';

/**
 * KEYS: stream, gap marker. ARGV: group, consumer, count, mark (`1`: remember a gap in the
 * marker). Reads the group's new entries (`>`) in the same atomic step as it checks whether the
 * stream was trimmed past the group's cursor. Trimming leaves no tombstone (Redis 7.0 keeps
 * `max-deleted-entry-id` for XDEL only), so the check is: the stream lost entries
 * (`entries-added` above `length`), its first entry comes after the group's last-delivered ID,
 * and the group's own count (`entries-read`, when Redis knows it) is short of what was trimmed.
 * Returns {gap as `<last-delivered>|<first kept>` or '', the stream's last-generated ID, entries or false}.
 */
const READ_NEW_LUA = `
local stream, marker = KEYS[1], KEYS[2]
local group, consumer, count, mark = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local function field(flat, name)
  for i = 1, #flat, 2 do if flat[i] == name then return flat[i + 1] end end
end
local function after(a, b)
  local am, as = string.match(a, '^(%d+)-(%d+)$')
  local bm, bs = string.match(b, '^(%d+)-(%d+)$')
  am, as, bm, bs = tonumber(am), tonumber(as), tonumber(bm), tonumber(bs)
  return am > bm or (am == bm and as > bs)
end
local groups = redis.pcall('XINFO', 'GROUPS', stream)
if type(groups) ~= 'table' or groups.err then return redis.error_reply('NOGROUP no stream ' .. stream) end
local mine
for _, g in ipairs(groups) do if field(g, 'name') == group then mine = g end end
if not mine then return redis.error_reply('NOGROUP no group ' .. group) end
local last, read = field(mine, 'last-delivered-id'), field(mine, 'entries-read')
local info = redis.call('XINFO', 'STREAM', stream)
local length, added = field(info, 'length'), field(info, 'entries-added')
local first = field(info, 'first-entry')
-- The oldest entry kept; with none kept, everything up to the newest ID is gone.
local kept = first and first[1] or field(info, 'last-generated-id')
local gap = ''
if added > length and after(kept, last) and not (type(read) == 'number' and read >= added - length) then
  gap = last .. '|' .. kept
  if mark == '1' then redis.call('SET', marker, gap) end
end
local reply = redis.call('XREADGROUP', 'GROUP', group, consumer, 'COUNT', count, 'STREAMS', stream, '>')
return { gap, field(info, 'last-generated-id'), reply }
`;

const READ_NEW = new LuaScript(READ_NEW_LUA, 2);

export type Entries = [string, string[] | null][];

export interface NewEntries {
  entries: Entries;
  /** The entries the stream lost before the group read them: after `from`, before `to`; null if none. */
  gap: { from: string; to: string } | null;
  /** The stream's newest ID: a wait for more starts after it. */
  lastId: string;
}

/** The group's new entries, and whether the stream was trimmed past its cursor before this read. */
export async function readNew(
  redis: Redis,
  keys: { stream: string; marker: string },
  read: { group: string; consumer: string; count: number; mark: boolean },
): Promise<NewEntries> {
  const [gap, lastId, reply] = (await READ_NEW.run(
    redis,
    keys.stream,
    keys.marker,
    read.group,
    read.consumer,
    String(read.count),
    read.mark ? '1' : '0',
  )) as [string, string, [string, Entries][] | null];
  const [from, to] = gap.split('|');
  return { entries: reply?.[0]?.[1] ?? [], gap: from && to ? { from, to } : null, lastId };
}
