-- GET /token for a repository name never asked for before, so no answer can be a reused token
-- and every request pays for its signature. The name stays under the user's own namespace
-- (the seeded ${user}/** rule), so each token grants what it asks.
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")

local threads = 0

function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

local counter = 0

function request()
  counter = counter + 1
  local path = string.format("%s&scope=repository:%s/fresh-%d-%d:pull", os.getenv("BENCH_FRESH_PATH"), os.getenv("BENCH_USER"), id, counter)
  return wrk.format("GET", path)
end
