-- wrk script: each request asks for the next path of a list, in turn (a crawler walking the sitemaps, a mix of searches).
-- Usage: wrk ... -s bench/paths.lua http://host:port -- paths.txt   (one request path per line)
local threads = 0
function setup(thread)
  thread:set("offset", threads)
  threads = threads + 1
end

local paths = {}
local i = 0
function init(args)
  for line in io.lines(args[1]) do
    paths[#paths + 1] = line
  end
  -- Threads start half the list apart, so no two ask for the same thing at the same moment.
  i = offset * math.floor(#paths / 2)
end

function request()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
