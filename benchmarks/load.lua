-- wrk script for benchmarks/load.sh: each connection walks a fixed mix of pages in turn, and the
-- summary line at the end is what load.sh reads (non-2xx/3xx answers and socket errors).
local pages = {
  "/",
  "/roles/",
  "/roles/account-manager/",
  "/compare/account-manager-vs-project-manager/",      -- the seed comparison (curated)
  "/compare/business-analyst-vs-operations-manager/",  -- generated from the roles' data
  "/transitions/account-manager-to-project-manager/",
  "/faq/",
  "/search/?q=manager",
  "/healthz",
}
-- LOAD_PAGE=/path: that one page only (load.sh's side-by-side figures).
if os.getenv("LOAD_PAGE") and os.getenv("LOAD_PAGE") ~= "" then
  pages = { os.getenv("LOAD_PAGE") }
end
local counter = 0

request = function()
  counter = counter % #pages + 1
  return wrk.format("GET", pages[counter])
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_s=%.2f rps=%.1f non_2xx_3xx=%d connect=%d read=%d write=%d "
      .. "timeout=%d p50_ms=%.1f p90_ms=%.1f p99_ms=%.1f max_ms=%.1f mean_ms=%.1f\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, latency.mean / 1000))
end
