-- maritaca4j shared rate limits: one lane (account + model) in one hash, every operation atomic.
-- The same semantics as io.github.maritaca4j.testing.InMemorySharedLimits (core's test jar).
--
-- KEYS[1]  the lane's hash: l1..l3 levels, t1..t3 when each was last refilled (Redis's clock, in
--          microseconds), p the end of the pause (microseconds); absent fields are a fresh lane
-- ARGV[1]  the operation: take | adjust | pause | clamp
-- ARGV[2..7] limit per minute and capacity of the buckets: requests, input tokens, output tokens
--          (a limit of 0: no such bucket, left alone)
-- ARGV[8..10] take: the demand; adjust: the delta; clamp: the maximum ('inf': none)
-- ARGV[8..9] pause: the pause and the margin, in nanoseconds (a negative margin: levels kept)
-- ARGV[11]  how long a lane stays once idle and whole again, in milliseconds
-- Returns (take) 0 when taken, else the nanoseconds until it would be; (others) 0.
--
-- Time is Redis's own (TIME), never the callers'. The key expires once it is as good as absent:
-- after the pause, after every bucket has refilled to its capacity, plus the idle time.

if redis.replicate_commands then
  redis.replicate_commands() -- TIME before writes, on Redis < 5 (a no-op on later versions)
end

local key = KEYS[1]
local op = ARGV[1]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])

local limit = {tonumber(ARGV[2]), tonumber(ARGV[4]), tonumber(ARGV[6])}
local cap = {tonumber(ARGV[3]), tonumber(ARGV[5]), tonumber(ARGV[7])}
local idle = tonumber(ARGV[11])

local state = redis.call('HMGET', key, 'l1', 'l2', 'l3', 't1', 't2', 't3', 'p')
local level = {}
local pause = tonumber(state[7]) or 0

-- refill every known bucket to now (a fresh bucket starts full, as a fresh lane does)
for i = 1, 3 do
  if limit[i] > 0 then
    local l = tonumber(state[i])
    local last = tonumber(state[i + 3])
    if l == nil or last == nil then
      l = cap[i]
    else
      local elapsed = now - last
      if elapsed > 0 then
        l = l + elapsed * limit[i] / 60000000
      end
      if l > cap[i] then
        l = cap[i]
      end
    end
    level[i] = l
  end
end

local function save()
  local whole = math.max(0, pause - now)
  local fields = {}
  for i = 1, 3 do
    if limit[i] > 0 then
      local l = level[i]
      if l < cap[i] then
        whole = math.max(whole, (cap[i] - l) * 60000000 / limit[i])
      end
      fields[#fields + 1] = 'l' .. i
      fields[#fields + 1] = string.format('%.17g', l)
      fields[#fields + 1] = 't' .. i
      fields[#fields + 1] = string.format('%d', now)
    end
  end
  fields[#fields + 1] = 'p'
  fields[#fields + 1] = string.format('%d', pause)
  redis.call('HSET', key, unpack(fields))
  -- whole milliseconds, capped (a debt of years is still an integer Redis reads)
  local ttl = math.min(math.ceil(whole / 1000) + idle, 1e15)
  redis.call('PEXPIRE', key, string.format('%d', ttl))
end

if op == 'take' then
  local wait = 0
  if pause > now then
    wait = (pause - now) * 1000
  end
  for i = 1, 3 do
    if limit[i] > 0 then
      local need = math.min(tonumber(ARGV[7 + i]), cap[i])
      if level[i] + 1e-9 < need then
        -- nanoseconds at limit / 60e9 units a nanosecond
        wait = math.max(wait, math.ceil((need - level[i]) * 60000000000 / limit[i]))
      end
    end
  end
  if wait > 0 then
    return wait -- nothing taken, nothing written
  end
  for i = 1, 3 do
    if limit[i] > 0 then
      level[i] = level[i] - tonumber(ARGV[7 + i])
    end
  end
  save()
  return 0
elseif op == 'adjust' then
  for i = 1, 3 do
    if limit[i] > 0 then
      level[i] = math.min(cap[i], level[i] + tonumber(ARGV[7 + i]))
    end
  end
  save()
  return 0
elseif op == 'pause' then
  local pauseNanos = tonumber(ARGV[8])
  local marginNanos = tonumber(ARGV[9])
  pause = math.max(pause, now + math.ceil(pauseNanos / 1000))
  if marginNanos >= 0 then
    for i = 1, 3 do
      if limit[i] > 0 then
        level[i] = math.min(level[i], -marginNanos * limit[i] / 60000000000)
      end
    end
  end
  save()
  return 0
elseif op == 'clamp' then
  for i = 1, 3 do
    if limit[i] > 0 and ARGV[7 + i] ~= 'inf' then
      level[i] = math.min(level[i], tonumber(ARGV[7 + i]))
    end
  end
  save()
  return 0
end
return redis.error_reply('maritaca4j shared limits: unknown operation ' .. tostring(op))
