#!/usr/bin/env bash
# GET /api/articles/{slug} and GET /api/homepage on the local host, each beside this machine's ceiling (a
# minimal ASP.NET Core app answering with the very same bytes and headers), with wrk, in one run.
# Usage: bench/http.sh [articles] [seconds]      (defaults: 1000 articles, 10 s per measurement)
set -euo pipefail
cd "$(dirname "$0")/.."
articles=${1:-1000}
seconds=${2:-10}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

dotnet build -c Release src/Newsroom.LocalHost --verbosity quiet -nologo >/dev/null
dotnet build -c Release bench/Ceiling --verbosity quiet -nologo >/dev/null
out=bench/out; mkdir -p "$out"
source bench/quiesce.sh
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

start_host() { # port, extra settings...
  local port=$1; shift
  dotnet src/Newsroom.LocalHost/bin/Release/net10.0/Newsroom.LocalHost.dll --urls "http://127.0.0.1:$port" \
    --LocalHost:AzuriteInMemory=true --LocalHost:DemoArticles="$articles" --Logging:LogLevel:Default=Warning "$@" > "$out/localhost-$port.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$port/api/categories" >/dev/null && return 0; sleep 1; done
  echo "local host on $port did not start; see $out/localhost-$port.log" >&2; exit 1
}

# Wait until the demo photos are processed (renditions in the body) and the URL answers one ETag twice.
settle() {
  local prev="" cur
  for _ in $(seq 1 120); do
    cur=$(curl -s -D - -o "$out/settle.bin" "$1" | awk -F': ' 'tolower($1)=="etag" {print $2}')
    if grep -q '"renditions"' "$out/settle.bin" && [ -n "$cur" ] && [ "$cur" = "$prev" ]; then return 0; fi
    prev=$cur; sleep 1
  done
}

measure() { # label url [header] [wrk script] [its argument]
  local label=$1 url=$2 header=${3:-} script=${4:-} argument=${5:-}
  wrk -t2 -c32 -d"${seconds}s" --latency ${header:+-H "$header"} ${script:+-s "$script"} "$url" ${argument:+-- "$argument"} > "$out/wrk.txt"
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$out/wrk.txt")
  p50=$(awk '$1=="50%" {print $2}' "$out/wrk.txt")
  p99=$(awk '$1=="99%" {print $2}' "$out/wrk.txt")
  printf "%-44s %10s req/s   p50 %8s   p99 %8s\n" "$label" "$rps" "$p50" "$p99" >&2
  echo "$rps"
}

versus() { # label url ceiling-port
  local label=$1 url=$2 port=$3
  settle "$url"
  quiesce
  curl -s -D "$out/headers.txt" -o "$out/body.bin" "$url"
  local etag cache
  etag=$(awk -F': ' 'tolower($1)=="etag" {print $2}' "$out/headers.txt" | tr -d '\r')
  cache=$(awk -F': ' 'tolower($1)=="cache-control" {print $2}' "$out/headers.txt" | tr -d '\r')
  dotnet bench/Ceiling/bin/Release/net10.0/Ceiling.dll "$out/body.bin" "$etag" "$cache" --urls "http://127.0.0.1:$port" > /dev/null 2>&1 &
  pids+=($!)
  for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$port/" >/dev/null && break; sleep 0.2; done
  echo "== $label ($(wc -c < "$out/body.bin") bytes)" >&2
  local ours ceiling
  ours=$(measure "local host" "$url")
  ceiling=$(measure "ceiling (same bytes, minimal ASP.NET Core)" "http://127.0.0.1:$port/")
  python3 -c "print(f'ratio local host / ceiling: {$ours/$ceiling:.2f}')" >&2
}

echo "seeding $articles articles into an in-memory Azurite..." >&2
start_host 7181
slug=$(curl -s "http://127.0.0.1:7181/api/categories/thoi-su/articles?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["slug"])')
versus "GET /api/articles/{slug}, default config (5 s in-memory response cache)" "http://127.0.0.1:7181/api/articles/$slug" 7191
versus "GET /api/homepage (snapshot held in memory)" "http://127.0.0.1:7181/api/homepage" 7192

# Bytes on the wire: the homepage as browsers ask for it (Brotli, compressed once per snapshot) beside identity.
home="http://127.0.0.1:7181/api/homepage"
settle "$home"
identity_bytes=$(curl -s "$home" | wc -c)
br_bytes=$(curl -s -H 'Accept-Encoding: br' "$home" | wc -c)
gzip_bytes=$(curl -s -H 'Accept-Encoding: gzip' "$home" | wc -c)
echo "== GET /api/homepage: identity $identity_bytes bytes, gzip $gzip_bytes, br $br_bytes ($(python3 -c "print(f'{$identity_bytes/$br_bytes:.1f}')")x smaller)" >&2
quiesce
plain=$(measure "identity" "$home")
brotli=$(measure "Accept-Encoding: br" "$home" "Accept-Encoding: br")
python3 -c "print(f'ratio br / identity req/s: {$brotli/$plain:.2f}')" >&2

echo "seeding again for a local host with the response cache off..." >&2
start_host 7182 --Reader:CacheSeconds=0
versus "GET /api/articles/{slug}, cache off (storage every request)" "http://127.0.0.1:7182/api/articles/$slug" 7193

# Cold reads as a crawler makes them: every request a different article (each one a miss that no other
# request shares), walked from the sitemaps, with the response cache off. Beside the ceiling of the same run.
python3 - "$out/paths.txt" <<'PY'
import re, sys, urllib.request
api = "http://127.0.0.1:7182/api"
get = lambda url: urllib.request.urlopen(url.replace("http://localhost:3000/api", api)).read().decode()
slugs = []
for sitemap in re.findall(r"<loc>([^<]+/sitemaps/articles/[^<]+)</loc>", get(api + "/sitemaps")):
    slugs += [loc.rstrip("/").rsplit("/", 1)[1] for loc in re.findall(r"<loc>([^<]+)</loc>", get(sitemap))]
open(sys.argv[1], "w").write("".join(f"/api/articles/{s}\n" for s in slugs))
print(f"{len(slugs)} article paths from the sitemaps", file=sys.stderr)
PY
quiesce
echo "== GET /api/articles/{each slug in turn}, cache off: every request a miss of its own" >&2
crawl=$(measure "local host, crawler" "http://127.0.0.1:7182" "" bench/paths.lua "$out/paths.txt")
ceiling=$(measure "ceiling (one article's bytes)" "http://127.0.0.1:7193/")
python3 -c "print(f'ratio crawler / ceiling: {$crawl/$ceiling:.3f}')" >&2
