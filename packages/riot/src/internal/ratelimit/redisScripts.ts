/**
 * The Redis store's Lua scripts. Each store operation is one script, so that
 * it is atomic across processes: a reservation checks and fills every window
 * of the app key and the method key at once, or none.
 *
 * Per limiter key there are two Redis keys: `...:state`, a hash of the
 * learned `limits` (absent while unknown, `""` for none), `blockedUntil`,
 * `probeUntil` and a `seq` that names the log entries counts add; and
 * `...:log`, a sorted set of the times each slot counts as used from (the
 * sliding log of the in-memory store). A reservation's entry is named by its
 * ticket and scored at the end of its answer lease until it is settled. Times
 * are the Redis server's `TIME` in milliseconds, so that processes whose
 * clocks disagree still agree on every window.
 *
 * @internal
 */

const prelude = `
local UNKNOWN_LIMITS_HORIZON = 3600000
local STATE_TTL = 3600000

local function now_millis()
  local time = redis.call("TIME")
  return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end

local function parse_windows(value)
  local windows = {}
  for limit, seconds in string.gmatch(value, "(%d+):(%d+)") do
    windows[#windows + 1] = { tonumber(limit), tonumber(seconds) }
  end
  return windows
end

-- How long log entries matter: the longest padded window, or an hour while
-- the limits are unknown, so the log already holds them when they are learned.
local function horizon(windows, padding)
  if not windows then return UNKNOWN_LIMITS_HORIZON end
  local longest = 0
  for _, window in ipairs(windows) do longest = math.max(longest, window[2] * 1000 + padding) end
  return longest
end

local function append(state, log, now)
  local seq = redis.call("HINCRBY", state, "seq", 1)
  redis.call("ZADD", log, now, string.format("%d-%d", now, seq))
end

-- A log lives until its newest entry, which may be a lease ending later, has left every window.
local function expire(state, log, windows, padding, now)
  local newest = redis.call("ZRANGE", log, -1, -1, "WITHSCORES")
  local ahead = newest[2] and math.max(0, tonumber(newest[2]) - now) or 0
  redis.call("PEXPIRE", log, math.max(horizon(windows, padding) + ahead, 1000))
  local blocked = tonumber(redis.call("HGET", state, "blockedUntil")) or 0
  redis.call("PEXPIRE", state, math.max(STATE_TTL, blocked - now + 1000))
end
`

/**
 * KEYS: `state, log` per limiter key. ARGV: window padding, answer lease
 * (millis), ticket. Returns `{1}` when granted, else `{0, waitMillis, reason}`
 * with reason 1 blocked, 2 window, 3 probe, 4 unanswered.
 *
 * @internal
 */
export const reserve = `${prelude}
local padding = tonumber(ARGV[1])
local lease = tonumber(ARGV[2])
local ticket = ARGV[3]
local now = now_millis()
local wait, reason = 0, 0
local windows_of = {}
for i = 1, #KEYS / 2 do
  local state, log = KEYS[2 * i - 1], KEYS[2 * i]
  local fields = redis.call("HMGET", state, "limits", "blockedUntil", "probeUntil")
  local blocked = tonumber(fields[2]) or 0
  if blocked - now > wait then wait, reason = blocked - now, 1 end
  if fields[1] then
    local windows = parse_windows(fields[1])
    windows_of[i] = windows
    for _, window in ipairs(windows) do
      local limit, span = window[1], window[2] * 1000 + padding
      if limit < 1 then
        if span > wait then wait, reason = span, 2 end
      elseif redis.call("ZCOUNT", log, "(" .. (now - span), "+inf") >= limit then
        -- The slot frees when the entry \`limit\` places from the newest leaves the window; an entry
        -- after now is a request still out, whose answer frees it sooner.
        local entry = redis.call("ZREVRANGEBYSCORE", log, "+inf", "-inf", "WITHSCORES", "LIMIT", limit - 1, 1)
        local frees = tonumber(entry[2]) + span - now
        if frees > wait then wait, reason = frees, (tonumber(entry[2]) > now and 4 or 2) end
      end
    end
  else
    windows_of[i] = false
    local probe = tonumber(fields[3]) or 0
    if probe - now > wait then wait, reason = probe - now, 3 end
  end
end
if wait > 0 then return { 0, wait, reason } end
for i = 1, #KEYS / 2 do
  local state, log = KEYS[2 * i - 1], KEYS[2 * i]
  redis.call("ZREMRANGEBYSCORE", log, "-inf", now - horizon(windows_of[i], padding))
  redis.call("ZADD", log, now + lease, ticket)
  if not windows_of[i] then redis.call("HSET", state, "probeUntil", now + lease) end
  expire(state, log, windows_of[i], padding, now)
end
return { 1 }
`

/**
 * KEYS: `state, log`. ARGV: `"1"` when limits were announced, the limits
 * (`20:1,100:120`), `unlimited` or `unknown` for unannounced limits, the
 * server's counts (`3:1,57:120`, may be empty), window padding (millis).
 *
 * @internal
 */
export const learn = `${prelude}
local state, log = KEYS[1], KEYS[2]
local padding = tonumber(ARGV[5])
local now = now_millis()
redis.call("HDEL", state, "probeUntil")
if ARGV[1] == "1" then
  redis.call("HSET", state, "limits", ARGV[2])
elseif ARGV[3] == "unlimited" then
  redis.call("HSETNX", state, "limits", "")
end
for count, seconds in string.gmatch(ARGV[4], "(%d+):(%d+)") do
  -- The server saw more than the log holds: someone else uses the key without this store.
  local known = redis.call("ZCOUNT", log, "(" .. (now - (tonumber(seconds) * 1000 + padding)), "+inf")
  for _ = known + 1, tonumber(count) do append(state, log, now) end
end
local limits = redis.call("HGET", state, "limits")
expire(state, log, limits and parse_windows(limits), padding, now)
return 1
`

/**
 * KEYS: the `log` of every key the ticket reserved. ARGV: ticket. A ticket
 * whose lease has ended, or that is settled already, keeps its time.
 *
 * @internal
 */
export const settle = `${prelude}
local now = now_millis()
for _, log in ipairs(KEYS) do
  local leaseEnd = tonumber(redis.call("ZSCORE", log, ARGV[1]))
  if leaseEnd and leaseEnd > now then redis.call("ZADD", log, "XX", now, ARGV[1]) end
end
return 1
`

/**
 * KEYS: `state`. ARGV: how long to block (millis).
 *
 * @internal
 */
export const block = `${prelude}
local state = KEYS[1]
local now = now_millis()
local blocked = math.max(now + tonumber(ARGV[1]), tonumber(redis.call("HGET", state, "blockedUntil")) or 0)
redis.call("HSET", state, "blockedUntil", blocked)
redis.call("PEXPIRE", state, math.max(STATE_TTL, blocked - now + 1000))
return 1
`

/**
 * KEYS: the `state` of every key whose probe ends.
 *
 * @internal
 */
export const release = `
for _, state in ipairs(KEYS) do redis.call("HDEL", state, "probeUntil") end
return 1
`
