#!/usr/bin/env bash
# Runs every test of the solution on this machine: installs the real servers the integration tests
# start (InfluxDB 1.x and VictoriaMetrics, from Debian), kcat, and Chromium for the live view's browser
# tests, when they are missing, then `dotnet test`.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v influxd >/dev/null 2>&1 || missing+=(influxdb)
command -v victoria-metrics >/dev/null 2>&1 || missing+=(victoria-metrics)
command -v kcat >/dev/null 2>&1 || missing+=(kcat)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]} for the integration tests"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi

log=$(mktemp)
results=$(mktemp -d)
trap 'rm -rf "$log" "$results"' EXIT
set +e
dotnet test StreamMetrics.sln -c Release --logger trx --results-directory "$results" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# Where the minutes go, so that the slowest tests are the ones made to share servers and replays.
echo "Slowest tests:"
# sed rather than head reads to the end, so that no stage dies of SIGPIPE under pipefail; no results is no list.
{ cat "$results"/*.trx 2>/dev/null | grep -oE 'testName="[^"]*"[^>]*duration="[0-9:.]*"' \
  | sed -E 's/testName="([^"]*)".*duration="([0-9:.]*)"/\2 \1/' | sort -r | sed -n '1,12p' | cut -c1-160 | sed "s/^/  /"; } || true

# One closing line over all test projects, from the per-project summaries dotnet test printed.
sum() { grep -oE "$1: +[0-9]+" "$log" | awk '{ total += $2 } END { print total + 0 }'; }
echo "Tests: $(sum Passed) passed, $(sum Failed) failed, $(sum Skipped) skipped"
exit "$status"
