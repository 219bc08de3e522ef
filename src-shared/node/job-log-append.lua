-- Appends a batch of a job's log lines within the job's bounds (see job-log.ts).
-- KEYS: the log stream, its byte count. ARGV: max lines, max bytes, TTL of a live job's log,
-- the line that says the log is full, then attempt/at/line triples.
-- The byte count turns -1 once the log is full: later lines are refused without a look.
-- The TTL is set only where none is (NX), for a log whose job no status write follows: the status
-- script takes it off while the job lives and sets the status's own when the job ends. Returns
-- how many lines were kept.
local lines, bytes = KEYS[1], KEYS[2]
local max_lines, max_bytes, ttl = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
local used = tonumber(redis.call('GET', bytes) or '0')
if used < 0 then return 0 end
local count = redis.call('XLEN', lines)
local kept = 0
for i = 5, #ARGV, 3 do
  local attempt, at, line = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  -- The last line of the bound is the one that says so.
  if count + 1 >= max_lines or used + #line > max_bytes then
    redis.call('XADD', lines, '*', 'attempt', attempt, 'at', at, 'line', ARGV[4])
    used = -1
    break
  end
  redis.call('XADD', lines, '*', 'attempt', attempt, 'at', at, 'line', line)
  count, used, kept = count + 1, used + #line, kept + 1
end
redis.call('SET', bytes, used, 'KEEPTTL')
redis.call('EXPIRE', lines, ttl, 'NX')
redis.call('EXPIRE', bytes, ttl, 'NX')
return kept
