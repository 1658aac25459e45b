-- Each request signs in as a user never seen before, so each one costs a bcrypt verification.
-- The Basic headers come from a file (one a line); thread i of n takes lines i, i+n, i+2n, ...
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")

local headers = {}
for line in io.lines(os.getenv("BENCH_COLD_HEADERS")) do headers[#headers + 1] = line end
local threads = 0

function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
  thread:set("stride", tonumber(os.getenv("BENCH_THREADS")))
end

local next_index = nil

function request()
  next_index = next_index or (id + 1)
  if next_index > #headers then
    -- Reusing a header would be a warm request and flatter the figure: stop instead.
    wrk.thread:stop()
  end
  local header = headers[math.min(next_index, #headers)]
  next_index = next_index + stride
  return wrk.format("GET", os.getenv("BENCH_PATH"), { ["Authorization"] = header })
end
