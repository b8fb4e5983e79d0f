#!/bin/bash
# The console's CPU time for filter keystrokes at 100k instances, a measure the machine's load
# does not inflate the way it does wall time. Usage: tests/benches/typing_cpu.sh [BINARY] [RUNS]
# Starts the console in a private tmux server on a 100k sandbox in a temp dir, waits for all
# rows, then types `prod` and erases it (8 keys, 0.25 s apart) five times, and reports the CPU
# (user + system, every thread, /proc/PID/stat in 10 ms ticks) per key.
set -eu
BIN=$(realpath "${1:-target/release/nephos}")
RUNS=${2:-3}
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
mkdir -p "$DIR"/{data,xdg-data,xdg-state,xdg-config,home}
ENVS="NEPHOS_DATA_DIR=$DIR/data XDG_DATA_HOME=$DIR/xdg-data XDG_STATE_HOME=$DIR/xdg-state XDG_CONFIG_HOME=$DIR/xdg-config HOME=$DIR/home NEPHOS_SANDBOX_LATENCY_MS=0"
env -u NEPHOS_CONFIG $ENVS "$BIN" --demo sandbox reset --instances 100000 --yes > /dev/null
T="tmux -L nephos-typing-cpu-$$"
for run in $(seq 1 "$RUNS"); do
  $T -f /dev/null new-session -d -s b -x 200 -y 50 "exec env -u NEPHOS_CONFIG $ENVS TERM=tmux-256color '$BIN' --demo"
  PID=$($T list-panes -t b -F '#{pane_pid}')
  for _ in $(seq 1 1200); do
    $T capture-pane -p -t b | sed -n 2p | grep -q "Instances 100000" && break
    sleep 0.05
  done
  sleep 1
  cpu() { awk '{ sub(/.*\) /, ""); split($0, f, " "); print f[12] + f[13] }' "/proc/$PID/stat"; }
  $T send-keys -t b /
  sleep 0.3
  A=$(cpu)
  for _ in 1 2 3 4 5; do
    for c in p r o d; do $T send-keys -t b -l $c; sleep 0.25; done
    for _ in 1 2 3 4; do $T send-keys -t b BSpace; sleep 0.25; done
  done
  B=$(cpu)
  PER=$(awk -v t=$((B - A)) 'BEGIN { printf "%.1f", t * 10 / 40 }')
  echo "run $run: $(( (B - A) * 10 )) ms CPU for 40 keys = $PER ms a key; load $(cut -d' ' -f1-3 /proc/loadavg)"
  $T send-keys -t b Escape q
  sleep 0.5
  $T kill-server 2>/dev/null || true
done
