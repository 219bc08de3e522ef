-- Shared by the job status scripts. The preamble the client prepends defines JOB_FIELDS (the
-- hash's fields, `version` last), TERMINAL (a set of the terminal statuses), WRITE_ARGS (the
-- write's ARGV names in order) and WORKER_LOST_ERROR.

-- The job's JSON, assembled from the hash (its fields already hold JSON text). A hash written
-- before the retry and origin fields existed gets their defaults.
local function assemble(key, default_max)
  local defaults = { max_attempts = default_max, next_attempt_at = 'null', attempt_errors = '[]',
    replay_of = 'null', schedule_id = 'null', run_at = 'null' }
  local values = redis.call('HMGET', key, unpack(JOB_FIELDS))
  if not values[1] then return false end
  local parts = {}
  for i, f in ipairs(JOB_FIELDS) do parts[i] = '"' .. f .. '":' .. (values[i] or defaults[f]) end
  return '{' .. table.concat(parts, ',') .. '}'
end
local function append(key, field, item)
  local list = redis.call('HGET', key, field) or '[]'
  if list == '[]' then list = '[' .. item .. ']' else list = string.sub(list, 1, -2) .. ',' .. item .. ']' end
  redis.call('HSET', key, field, list)
end
