-- A password-guessing flood: every request a Basic sign-in with a random name and a random
-- password, as an attacker trying names from a list would send them. Each one costs a bcrypt
-- verification until the lockout refuses the address (then it is answered without one).
-- Prints the answers by status at the end (FLOOD status=count ...).
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

local counter = 0

function init(args)
  math.randomseed(os.time() * 1000 + id)
  statuses = {}
end

function request()
  counter = counter + 1
  local credentials = string.format("guess-%d-%d:wrong-%d", id, math.random(1, 100000), math.random(1, 1000000000))
  return wrk.format("GET", os.getenv("BENCH_PATH"), { ["Authorization"] = "Basic " .. base64(credentials) })
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do total[status] = (total[status] or 0) + count end
  end
  local line = "FLOOD"
  for status, count in pairs(total) do line = line .. string.format(" %d=%d", status, count) end
  io.write(line .. "\n")
end

local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
function base64(text)
  return ((text:gsub(".", function(c)
    local bits, byte = "", c:byte()
    for i = 8, 1, -1 do bits = bits .. (byte % 2 ^ i - byte % 2 ^ (i - 1) > 0 and "1" or "0") end
    return bits
  end) .. "0000"):gsub("%d%d%d?%d?%d?%d?", function(bits)
    if #bits < 6 then return "" end
    local n = 0
    for i = 1, 6 do n = n + (bits:sub(i, i) == "1" and 2 ^ (6 - i) or 0) end
    return alphabet:sub(n + 1, n + 1)
  end) .. ({ "", "==", "=" })[#text % 3 + 1])
end
