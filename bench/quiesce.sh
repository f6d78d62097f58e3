# Sourced by the HTTP benchmarks.
# Wait until the seeded hosts are done with their background work (resizing the demo photos, filling the
# search index, the one-off index backfill), so that a measurement measures requests: until every process of
# ours used under 15 % of a core over 3 s, for at most 5 minutes.
quiesce() {
  local pids a b
  for _ in $(seq 1 100); do
    pids=$(pgrep -f "Newsroom.LocalHost.dll|Newsroom.Functions.dll|azurite.js" | tr '\n' ' ')
    a=$(for p in $pids; do awk '{print $14+$15}' "/proc/$p/stat" 2>/dev/null; done | awk '{s+=$1} END {print s+0}')
    sleep 3
    b=$(for p in $pids; do awk '{print $14+$15}' "/proc/$p/stat" 2>/dev/null; done | awk '{s+=$1} END {print s+0}')
    [ $((b - a)) -lt 45 ] && return 0
  done
  echo "the hosts stayed busy; measuring anyway" >&2
}
