-- One write of a job's status (see status-script.ts for what each outcome means).
-- KEYS: job hash, event stream. ARGV: WRITE_ARGS by position, then field/JSON pairs that seed
-- the job when it is missing. Returns {outcome, job JSON, version, stream ID or ''}.
-- A job's version starts at the server's time in microseconds when the hash is created, so a
-- job recreated after Redis lost it (expiry, restart) still outranks everything written before.
-- `start_attempt` makes the write the start of that attempt: allowed when the job has made
-- `start_attempt - 1` attempts, whether it reads QUEUED, RETRYING, or still STARTED or IN PROGRESS
-- (never SCHEDULED: a job's message is published only once it is QUEUED, so a copy met while the
-- job waits for its time is stale)
-- (the message of attempt n+1 exists only once attempt n failed, and the failed run's RETRYING
-- write may land after it); or when the worker holding this very message died in the middle of it
-- or of a rerun of it (running, message redelivered, `message_attempt` = `start_attempt`): then the
-- unfinished attempt gets an error and the rerun counts as a new attempt.
-- Each start names its run (`start_token`); a later write naming its run (`holder_token`) is
-- `superseded` once another start took the job over, so a late RETRYING, DONE or progress of a run
-- that lost the job never overwrites the next one (a late attempt error is still kept, as attempt
-- `holder_attempt`). `budget` (not shown) is how many attempts the job was given; an operator's
-- retry (`reset_budget`) grants that many more.
-- `request_cancel` is an operator's cancel of a running job: the status stays, the job is marked
-- (`cancel_requested`, not shown) and its workers are told on `cancel_channel`; the reply's fifth
-- item says whether the mark is set, so a worker that missed the message learns it from its next
-- write. While marked, a RETRYING write ends the job CANCELLED instead, and a DONE write notes the
-- refused cancel in its transition. A terminal or QUEUED write clears the mark. The job's log keys
-- (KEYS 3 and 4) expire with the status: with its TTL once it ended, never while it lives.
-- `give_back` undoes a run's start because the kind's own dependency was unreachable: the job is
-- QUEUED again (CANCELLED if marked for cancel) with its attempt count back to what its message's
-- start found (`given_back_attempts`, not shown: one less than the message's attempt, so that
-- message can start again even when its start had taken over a lost run), the
-- `note` on its transition and no attempt error; later writes of that run are `superseded`. The
-- first give-back's server time is kept (`unavailable_since`, not shown; an operator's retry clears
-- it); once `max_wait_s` have passed since, the give-back is refused (`expired`) and the run fails
-- its attempt as any other failure.
local key, stream = KEYS[1], KEYS[2]
local names = WRITE_ARGS
local a = {}
for i, name in ipairs(names) do a[name] = ARGV[i] end
local terminal = TERMINAL
local exists = redis.call('EXISTS', key) == 1
if exists and a.guard == 'create' then return { 'exists', assemble(key, a.default_max_attempts), 0, '' } end
if not exists then
  if #ARGV <= #names then return { 'missing', '', 0, '' } end
  local now = redis.call('TIME')
  redis.call('HSET', key, 'progress', '0', 'attempts', '0', 'transitions', '[]', 'result', 'null',
    'error', 'null', 'status', cjson.encode(a.status), 'version', now[1] .. string.format('%06d', now[2]),
    'max_attempts', a.default_max_attempts, 'next_attempt_at', 'null', 'attempt_errors', '[]')
  for i = #names + 1, #ARGV, 2 do redis.call('HSET', key, ARGV[i], ARGV[i + 1]) end
  redis.call('HSETNX', key, 'budget', redis.call('HGET', key, 'max_attempts'))
end
local holder = redis.call('HGET', key, 'start_token')
if exists and a.holder_token ~= '' and holder and holder ~= a.holder_token then
  -- A run another start took over: its status is not written, but its attempt's error is kept.
  local id = ''
  if a.attempt_error ~= '' and a.holder_attempt ~= '' then
    append(key, 'attempt_errors', '{"attempt":' .. a.holder_attempt .. ',"at":' .. cjson.encode(a.at) .. ',"error":' .. a.attempt_error .. '}')
    local version = redis.call('HINCRBY', key, 'version', 1)
    if a.emit == '1' then
      id = redis.call('XADD', stream, 'MAXLEN', '~', a.stream_max, '*', 'version', version, 'job', assemble(key, a.default_max_attempts))
    end
  end
  return { 'superseded', '', 0, id }
end
local current = cjson.decode(redis.call('HGET', key, 'status'))
if exists and a.guard == 'live' and terminal[current] then return { 'terminal', '', 0, '' } end
if exists and a.only_from ~= '' and not string.find(',' .. a.only_from .. ',', ',' .. current .. ',', 1, true) then
  return { 'conflict', assemble(key, a.default_max_attempts), 0, '' }
end
if a.request_cancel == '1' then
  redis.call('HSET', key, 'cancel_requested', a.at)
  redis.call('PUBLISH', a.cancel_channel, cjson.decode(redis.call('HGET', key, 'id')))
  return { 'ok', assemble(key, a.default_max_attempts), tonumber(redis.call('HGET', key, 'version')), '', '1' }
end
local cancel_requested = redis.call('HGET', key, 'cancel_requested')
local note = ''
if a.give_back == '1' then
  local now = tonumber(redis.call('TIME')[1])
  local since = tonumber(redis.call('HGET', key, 'unavailable_since') or '')
  if since and now - since > tonumber(a.max_wait_s) then
    return { 'expired', assemble(key, a.default_max_attempts), 0, '' }
  end
  if not since then redis.call('HSET', key, 'unavailable_since', now) end
  note = ',"note":' .. cjson.encode(a.note)
  redis.call('HSET', key, 'start_token', 'given-back:' .. a.holder_token)
end
if cancel_requested and (a.status == 'RETRYING' or a.give_back == '1') then
  a.status, a.next_attempt_at = 'CANCELLED', ''
elseif cancel_requested and a.status == 'DONE' then
  note = ',"note":' .. cjson.encode('cancel requested at ' .. cancel_requested .. ' refused: the handler finished, its effect happened')
end
local attempts = tonumber(redis.call('HGET', key, 'attempts'))
if exists and a.start_attempt ~= '' then
  local wanted = tonumber(a.start_attempt)
  local running = current == 'STARTED' or current == 'IN PROGRESS'
  if running and a.start_token ~= '' and holder == a.start_token then
    -- The same start sent again (its reply was lost and the client resent it): it already happened.
    return { 'ok', assemble(key, a.default_max_attempts), tonumber(redis.call('HGET', key, 'version')), '' }
  end
  local message_attempt = tonumber(redis.call('HGET', key, 'message_attempt') or '')
  if attempts == wanted - 1 and (running or current == 'QUEUED' or current == 'RETRYING') then
    -- Running too: attempt n failed and its retry came back before its RETRYING write landed.
  elseif running and a.redelivered == '1' and attempts >= wanted and (message_attempt == nil or message_attempt == wanted) then
    append(key, 'attempt_errors', cjson.encode({ attempt = attempts, at = a.at, error = WORKER_LOST_ERROR }))
  else
    return { 'stale', assemble(key, a.default_max_attempts), 0, '' }
  end
end
if a.start_attempt ~= '' then redis.call('HSET', key, 'message_attempt', a.start_attempt) end
-- What a give-back of this start restores: the attempts its message's own start found, so that the
-- given-back message can start again, even after it took over a lost run (which counted one more).
if a.start_attempt ~= '' then redis.call('HSET', key, 'given_back_attempts', tonumber(a.start_attempt) - 1)
elseif a.add_attempt == '1' then redis.call('HSET', key, 'given_back_attempts', attempts) end
local encoded = cjson.encode(a.status)
redis.call('HSET', key, 'status', encoded, 'updated_at', cjson.encode(a.at))
if current ~= a.status or not exists then
  local t = '{"status":' .. encoded .. ',"at":' .. cjson.encode(a.at) .. ',"worker":' .. cjson.encode(a.worker) .. note .. '}'
  append(key, 'transitions', t)
end
if a.progress ~= '' then redis.call('HSET', key, 'progress', a.progress) end
if a.add_attempt == '1' or a.start_attempt ~= '' then attempts = redis.call('HINCRBY', key, 'attempts', 1) end
if a.give_back == '1' and exists then
  local back = tonumber(redis.call('HGET', key, 'given_back_attempts') or '') or math.max(attempts - 1, 0)
  attempts = back
  redis.call('HSET', key, 'attempts', back)
end
if a.start_token ~= '' then redis.call('HSET', key, 'start_token', a.start_token) end
if a.callback_secret ~= '' then redis.call('HSET', key, 'callback_secret', a.callback_secret) end
if a.result ~= '' then redis.call('HSET', key, 'result', a.result) end
if a.error ~= '' then redis.call('HSET', key, 'error', a.error) end
if a.attempt_error ~= '' then
  append(key, 'attempt_errors', '{"attempt":' .. attempts .. ',"at":' .. cjson.encode(a.at) .. ',"error":' .. a.attempt_error .. '}')
end
if a.next_attempt_at ~= '' then redis.call('HSET', key, 'next_attempt_at', a.next_attempt_at)
elseif a.status ~= 'RETRYING' then redis.call('HSET', key, 'next_attempt_at', 'null') end
if a.reset_budget == '1' then
  local budget = redis.call('HGET', key, 'budget') or redis.call('HGET', key, 'max_attempts') or a.default_max_attempts
  redis.call('HSET', key, 'max_attempts', attempts + tonumber(budget))
  redis.call('HDEL', key, 'unavailable_since')
end
local version = redis.call('HINCRBY', key, 'version', 1)
local ttl = tonumber(a.terminal_ttl_s)
if terminal[a.status] and ttl > 0 then
  redis.call('EXPIRE', key, ttl)
  redis.call('EXPIRE', KEYS[3], ttl)
  redis.call('EXPIRE', KEYS[4], ttl)
else
  redis.call('PERSIST', key)
  redis.call('PERSIST', KEYS[3])
  redis.call('PERSIST', KEYS[4])
end
if terminal[a.status] or a.status == 'QUEUED' then redis.call('HDEL', key, 'cancel_requested') end
local job = assemble(key, a.default_max_attempts)
local id = ''
if a.emit == '1' then
  id = redis.call('XADD', stream, 'MAXLEN', '~', a.stream_max, '*', 'version', version, 'job', job)
end
if a.then_in_progress == '1' and not terminal[a.status] and attempts <= tonumber(redis.call('HGET', key, 'max_attempts') or a.default_max_attempts) then
  local moved = cjson.encode('IN PROGRESS')
  redis.call('HSET', key, 'status', moved)
  append(key, 'transitions', '{"status":' .. moved .. ',"at":' .. cjson.encode(a.at) .. ',"worker":' .. cjson.encode(a.worker) .. '}')
  version = redis.call('HINCRBY', key, 'version', 1)
  job = assemble(key, a.default_max_attempts)
  if a.emit == '1' then
    id = redis.call('XADD', stream, 'MAXLEN', '~', a.stream_max, '*', 'version', version, 'job', job)
  end
end
return { 'ok', job, version, id, redis.call('HEXISTS', key, 'cancel_requested') == 1 and '1' or '' }
