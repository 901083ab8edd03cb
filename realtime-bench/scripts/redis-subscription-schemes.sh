#!/usr/bin/env bash
# Per-channel SUBSCRIBE vs one PSUBSCRIBE per node, on a private redis-server:
# 3 "nodes" (redis-cli subscribers), 300 channels, each node holding 100 of them;
# redis-benchmark publishes N events spread over the 300 channels.
# Prints publish throughput and, per node, messages and bytes received and CPU used.
set -euo pipefail
PORT=${PORT:-6391}
N=${N:-300000}
PAYLOAD=$(printf 'x%.0s' $(seq 1 100))
OUT=$(mktemp -d)
redis-server --port "$PORT" --save "" --appendonly no --daemonize yes --logfile "$OUT/redis.log" --pidfile "$OUT/redis.pid"
trap 'kill $(cat "$OUT/redis.pid") 2>/dev/null; rm -rf "$OUT"' EXIT
sleep 0.5
channels_of() { # node index 0..2 -> its 100 channel names, as redis-benchmark writes them
  for i in $(seq "$1" 3 299); do printf 'ch:%012d ' "$i"; done
}
run() { # $1 = scheme
  local pids=()
  for node in 0 1 2; do
    if [ "$1" = pattern ]; then
      redis-cli -p "$PORT" psubscribe 'ch:*' > "$OUT/$1-$node.out" &
    else
      # shellcheck disable=SC2046
      redis-cli -p "$PORT" subscribe $(channels_of $node) > "$OUT/$1-$node.out" &
    fi
    pids+=($!)
  done
  sleep 1
  local rps
  rps=$(redis-benchmark -p "$PORT" -n "$N" -P 32 -r 300 -q publish 'ch:__rand_int__' "$PAYLOAD" | tr '\r' '\n' | grep -o '[0-9.]* requests per second' | tail -1)
  sleep 2
  echo "$1: publish $rps"
  for i in 0 1 2; do
    local pid=${pids[$i]}
    local ticks
    ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat")
    local messages
    messages=$(grep -c -x "$PAYLOAD" "$OUT/$1-$i.out" || true)
    echo "  node $i: $messages messages, $(stat -c %s "$OUT/$1-$i.out") bytes of redis-cli output, $((ticks * 10)) ms CPU"
    kill "$pid"
  done
}
echo "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), N=$N, payload ${#PAYLOAD} bytes"
run channel
run pattern
