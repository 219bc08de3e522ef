-- Admits one start of a kind under its limits, atomically across every worker.
-- KEYS[1] the kind's flow hash (rate_per_s, concurrency), KEYS[2] its leases (sorted set, score =
-- expiry in ms), KEYS[3] its rate state (GCRA's theoretical arrival time, in ms).
-- ARGV[1] the lease's member, ARGV[2] the lease's time to live in ms.
-- Answers {1, wait_ms}: admitted (a lease taken when a concurrency limit is set), to start in
-- wait_ms (a rate slot is reserved at that time, so the caller sleeps exactly that);
-- or {0, retry_ms}: every slot is leased, the first lease expires in retry_ms.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local limits = redis.call('HMGET', KEYS[1], 'rate_per_s', 'concurrency')
local rate = tonumber(limits[1])
local concurrency = tonumber(limits[2])
local ttl = tonumber(ARGV[2])

if concurrency and concurrency >= 1 then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
  if redis.call('ZCARD', KEYS[2]) >= concurrency then
    local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
    return {0, math.max(1, math.ceil(tonumber(first[2]) - now))}
  end
  redis.call('ZADD', KEYS[2], now + ttl, ARGV[1])
  redis.call('PEXPIRE', KEYS[2], ttl)
end

local wait = 0
if rate and rate > 0 then
  local interval = 1000 / rate
  local tat = tonumber(redis.call('GET', KEYS[3]) or '0') or 0
  if tat < now then tat = now end
  wait = tat - now
  redis.call('SET', KEYS[3], string.format('%.3f', tat + interval), 'PX', math.ceil(wait + interval) + 1000)
end
return {1, math.ceil(wait)}
