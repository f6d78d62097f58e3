#!/usr/bin/env bash
# Homepage rebuild time with 1k, 10k and 100k published articles in Azurite (in memory), and the ratio
# 100k/1k (goal <= 1.5). Also prints what one listing read costs the emulator at each size, which is
# where a naive design's time would go. Usage: bench/rebuild.sh [sizes...]
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-1000 10000 100000}")
[ $# -eq 0 ] && sizes=(1000 10000 100000)
dotnet build -c Release bench/Newsroom.Bench --verbosity quiet -nologo >/dev/null
out=bench/out; mkdir -p "$out"; : > "$out/rebuild.jsonl"
for n in "${sizes[@]}"; do
  dotnet bench/Newsroom.Bench/bin/Release/net10.0/Newsroom.Bench.dll rebuild "$n" | tee -a "$out/rebuild.jsonl"
done
python3 - "$out/rebuild.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
for r in rows:
    print(f"{r['articles']:>7} articles: rebuild median {r['rebuildMedianMs']:7.1f} ms (min {r['rebuildMinMs']:.1f}, max {r['rebuildMaxMs']:.1f})")
if len(rows) > 1:
    print(f"ratio {rows[-1]['articles']}/{rows[0]['articles']}: {rows[-1]['rebuildMedianMs']/rows[0]['rebuildMedianMs']:.2f}  (goal <= 1.5)")
PY
