# Sourced by the HTTP benchmarks.
# Wait until the seeded hosts are done with their background work (resizing the demo photos, filling the
# search index, the one-off index backfill), so that a measurement measures requests: until every process of
# ours used under 15 % of a core over 3 s, for at most 5 minutes. Then until one turn of the minute passes
# quietly: the timers run on the minute (homepage, search catch-up, scheduled articles), and the first ticks
# after seeding still have work (the photos that turned ready re-index the 200 demo articles, 100 per tick),
# 2–5 s of CPU that would land inside a measurement and cost it a third of its p99.
hosts_cpu() {
  local pids
  pids=$(pgrep -f "Newsroom.LocalHost.dll|Newsroom.Functions.dll|azurite.js" | tr '\n' ' ')
  for p in $pids; do awk '{print $14+$15}' "/proc/$p/stat" 2>/dev/null; done | awk '{s+=$1} END {print s+0}'
}

quiesce() {
  local a b quiet=""
  for _ in $(seq 1 100); do
    a=$(hosts_cpu); sleep 3; b=$(hosts_cpu)
    if [ $((b - a)) -lt 45 ]; then quiet=1; break; fi
  done
  [ -n "$quiet" ] || echo "the hosts stayed busy; measuring anyway" >&2
  # From 2 s before a minute to 8 s after it, under 20 % of a core on average (an idle tick costs far less).
  for _ in $(seq 1 6); do
    sleep $(( (58 - 10#$(date +%S) + 60) % 60 ))
    a=$(hosts_cpu); sleep 10; b=$(hosts_cpu)
    [ $((b - a)) -lt 200 ] && return 0
    echo "the hosts worked $(( (b - a) * 10 )) ms on the minute; waiting for the next" >&2
  done
  echo "the minute's timers stayed busy; measuring anyway" >&2
}
