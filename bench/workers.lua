-- wrk script for the distribution runs: every request carries `Connection: close` (a fresh connection each time)
-- and response() counts the X-Worker header (the serving worker's pid, `add_header X-Worker $pid;`). done() sums the
-- per-thread counts and prints them next to the usual RESULT line (latencies in microseconds).
local threads = {}

setup = function(thread)
   table.insert(threads, thread)
end

init = function(args)
   counts = {}
   wrk.headers["Connection"] = "close"
end

response = function(status, headers, body)
   local w = headers["X-Worker"] or headers["x-worker"] or "none"
   counts[w] = (counts[w] or 0) + 1
end

done = function(summary, latency, requests)
   local total = {}
   for _, t in ipairs(threads) do
      for w, n in pairs(t:get("counts")) do
         total[w] = (total[w] or 0) + n
      end
   end
   local parts = {}
   for w, n in pairs(total) do
      table.insert(parts, w .. ":" .. n)
   end
   table.sort(parts)
   local e = summary.errors
   io.write(string.format(
      "RESULT requests=%d duration_us=%d bytes=%d connect=%d read=%d write=%d status=%d timeout=%d " ..
      "p50=%d p99=%d max=%d workers=%s\n",
      summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
      latency:percentile(50), latency:percentile(99), latency.max, table.concat(parts, ",")))
end
