#!/usr/bin/env bash
# Search with Lucene.NET on the local host, over HTTP: an index of N synthetic Vietnamese articles (time to
# build it, its size, the builder's memory), then GET /api/search for a mix of accented and unaccented queries
# and, in the same run, GET /api/homepage, each at 16 connections (p50/p99), and the worker's memory.
# Usage: bench/search.sh [articles] [seconds] [queries]     (defaults: 100000 articles, 20 s, 3000 queries)
# REUSE_INDEX=1 keeps an index an earlier run built in bench/out (same article count) instead of building it again.
set -euo pipefail
cd "$(dirname "$0")/.."
articles=${1:-100000}
seconds=${2:-20}
queries=${3:-3000}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

dotnet build -c Release src/Newsroom.LocalHost --verbosity quiet -nologo >/dev/null
dotnet build -c Release bench/Newsroom.Bench --verbosity quiet -nologo >/dev/null
out=bench/out; mkdir -p "$out"
source bench/quiesce.sh
index=$out/search-index
bench=bench/Newsroom.Bench/bin/Release/net10.0/Newsroom.Bench.dll
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

if [ -n "${REUSE_INDEX:-}" ] && [ -d "$index" ] && grep -q "\"articles\":$articles," "$out/search-index.json" 2>/dev/null; then
  echo "reusing the index of an earlier run" >&2
else
  echo "indexing $articles synthetic articles..." >&2
  dotnet "$bench" search-index "$index" "$articles" > "$out/search-index.json"
fi
python3 - "$out/search-index.json" >&2 <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
mib = 2 ** 20
print(f"indexed {r['articles']} articles in {r['seconds']:.0f} s ({r['articlesPerSecond']:.0f}/s; of it merging into one segment "
      f"{r.get('compactSeconds', 0):.0f} s), "
      f"index {r['indexBytes'] / mib:.0f} MiB, builder peak RSS {r['peakRssBytes'] / mib:.0f} MiB")
PY
dotnet "$bench" search-queries "$queries" "$out/search-queries.txt"

port=7184
dotnet src/Newsroom.LocalHost/bin/Release/net10.0/Newsroom.LocalHost.dll --urls "http://127.0.0.1:$port" \
  --LocalHost:AzuriteInMemory=true --LocalHost:DemoArticles=200 --Search:LucenePath="$PWD/$index" \
  --Logging:LogLevel:Default=Warning > "$out/localhost-$port.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$port/api/categories" >/dev/null && break; sleep 1; done
# The first search waits for the demo articles to join the index; then let the seeded host finish its
# background work (photos, backfill) so that the measurement measures searches.
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/api/search?q=tin" >/dev/null && break; sleep 1; done
quiesce
total=$(curl -s "http://127.0.0.1:$port/api/search?q=thai%20nguyen" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
echo "index answers: 'thai nguyen' matches $total articles" >&2
# A pass over all the queries first (15 s is more than one at these rates) warms the JIT, the index's file cache
# and the engine's summaries of the frequent terms, as on an instance that has served a while.
wrk -t2 -c16 -d15s -s bench/paths.lua "http://127.0.0.1:$port" -- "$out/search-queries.txt" >/dev/null

measure() { # label wrk-arguments...
  local label=$1; shift
  wrk -t2 -c16 -d"${seconds}s" --latency "$@" > "$out/wrk.txt"
  printf "%-52s %9s req/s   p50 %9s   p99 %9s   non-2xx %s\n" "$label" \
    "$(awk '/Requests\/sec/ {print $2}' "$out/wrk.txt")" "$(awk '$1=="50%" {print $2}' "$out/wrk.txt")" \
    "$(awk '$1=="99%" {print $2}' "$out/wrk.txt")" "$(awk '/Non-2xx/ {print $5}' "$out/wrk.txt" | grep . || echo 0)" >&2
}
echo "== $articles articles, 16 connections, ${seconds} s each" >&2
measure "GET /api/search ($queries mixed queries, in turn)" -s bench/paths.lua "http://127.0.0.1:$port" -- "$out/search-queries.txt"
measure "GET /api/homepage" "http://127.0.0.1:$port/api/homepage"
worker=$(pgrep -f Newsroom.Functions.dll | head -1)
awk '/VmRSS|VmHWM/ {printf "worker %s %.0f MiB\n", $1, $2/1024}' "/proc/$worker/status" >&2
