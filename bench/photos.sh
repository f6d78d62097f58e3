#!/usr/bin/env bash
# Photo pipeline vs sharp, same machine, same run: the camera JPEGs of Debian's mate-backgrounds, the same
# rendition set (8 widths up to 2560, WebP q75 + progressive JPEG q80, placeholder, dominant colour),
# one image at a time. Prints images/s, peak RSS and the ratios. Usage: bench/photos.sh [repeat]
set -euo pipefail
cd "$(dirname "$0")/.."
repeat=${1:-2}

need() { dpkg -s "$1" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq "$1" >/dev/null; }; }
need mate-backgrounds
need time
mapfile -t photos < <(find /usr/share/backgrounds/mate -name '*.jpg' -size +200k | sort)
echo "photos: ${#photos[@]} camera JPEGs, $(du -ch "${photos[@]}" | tail -1 | cut -f1) in all; repeat ${repeat}"

dotnet build -c Release bench/Newsroom.Bench --verbosity quiet -nologo | grep -E "error|Warn" || true
(cd bench/sharp && npm ci --no-audit --no-fund --silent)

out=bench/out; mkdir -p "$out"
run() { # name, command...
  local name=$1; shift
  /usr/bin/time -v "$@" > "$out/$name.json" 2> "$out/$name.time"
  local rss; rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$out/$name.time")
  python3 - "$out/$name.json" "$rss" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); rss = int(sys.argv[2])
print(f"{r['engine']:<40} {r['images']:>4} images  {r['imagesPerSecond']:6.2f} images/s  peak RSS {rss/1024:7.1f} MiB  output {r['outputBytes']/1e6:6.1f} MB")
PY
  echo "$rss" > "$out/$name.rss"
}
# Newsroom as deployed: MALLOC_ARENA_MAX=2 is an app setting of the Function App (infra) and of the local host.
export MALLOC_ARENA_MAX=2
run newsroom dotnet bench/Newsroom.Bench/bin/Release/net10.0/Newsroom.Bench.dll photos "$repeat" "${photos[@]}"
# The references with glibc's default arenas (their fastest) and, for the strong one, with two as well (its smallest).
run sharp env -u MALLOC_ARENA_MAX node bench/sharp/renditions.js "$repeat" "${photos[@]}"
run sharp-strong env -u MALLOC_ARENA_MAX node bench/sharp/renditions-strong.js "$repeat" "${photos[@]}"
run sharp-strong-arenas2 node bench/sharp/renditions-strong.js "$repeat" "${photos[@]}"
# What AVIF would add (libheif with AV1 in NetVips.Native), for the decision in PhotoOptions.Avif.
run newsroom-avif dotnet bench/Newsroom.Bench/bin/Release/net10.0/Newsroom.Bench.dll photos 1 --avif "${photos[@]}"

# The queue listener runs up to batchSize + newBatchThreshold jobs at once (host.json: 4 + 2); the resize slots
# (Photos:MaxConcurrentResizes, default 2) decide how many images are decoded at a time, and so the memory.
jobs=$(python3 -c 'import json; q=json.load(open("host.json"))["extensions"]["queues"]; print(q["batchSize"] + q["newBatchThreshold"])')
run concurrent-gated dotnet bench/Newsroom.Bench/bin/Release/net10.0/Newsroom.Bench.dll photos-concurrent "$jobs" 2 "${photos[@]}"
run concurrent-ungated dotnet bench/Newsroom.Bench/bin/Release/net10.0/Newsroom.Bench.dll photos-concurrent "$jobs" "$jobs" "${photos[@]}"

python3 - "$out" <<'PY'
import json, sys, os
o = sys.argv[1]
n = json.load(open(f"{o}/newsroom.json")); s = json.load(open(f"{o}/sharp.json"))
nr = int(open(f"{o}/newsroom.rss").read()); sr = int(open(f"{o}/sharp.rss").read())
print(f"throughput ratio newsroom/sharp: {n['imagesPerSecond']/s['imagesPerSecond']:.2f}  (goal >= 1.00)")
print(f"peak RSS ratio newsroom/sharp:   {nr/sr:.2f}  (goal <= 1.00)")
t = json.load(open(f"{o}/sharp-strong.json")); tr = int(open(f"{o}/sharp-strong.rss").read())
print(f"throughput ratio newsroom/strong sharp: {n['imagesPerSecond']/t['imagesPerSecond']:.2f}  (goal >= 1.20)")
print(f"peak RSS ratio newsroom/strong sharp:   {nr/tr:.2f}  (goal <= 0.60)")
t2 = json.load(open(f"{o}/sharp-strong-arenas2.json")); tr2 = int(open(f"{o}/sharp-strong-arenas2.rss").read())
print(f"  against the strong sharp with MALLOC_ARENA_MAX=2 too: throughput {n['imagesPerSecond']/t2['imagesPerSecond']:.2f}, peak RSS {nr/tr2:.2f}")
g = int(open(f"{o}/concurrent-gated.rss").read()); u = int(open(f"{o}/concurrent-ungated.rss").read())
print(f"peak RSS with the queue's concurrency: {g/1024:.0f} MiB through 2 resize slots, {u/1024:.0f} MiB with a slot per job ({g/u:.2f})")
a = json.load(open(f"{o}/newsroom-avif.json"))
print(f"with AVIF as well: {a['imagesPerSecond']:.2f} images/s, {n['imagesPerSecond']/a['imagesPerSecond']:.1f}x slower than WebP+JPEG alone")
PY

# Upload to usable and to ready, end to end over HTTP on the local host.
bench/photos-http.sh
