-- wrk reporter for bench/dashboard_load.py: one machine-readable line at the end
-- (requests, errors incl. non-2xx, duration us, p50/p95/p99/max ms).
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %.3f %.3f %.3f %.3f\n", summary.requests,
    e.connect + e.read + e.write + e.status + e.timeout, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
