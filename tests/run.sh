#!/usr/bin/env bash
# Runs every test of the solution on this machine: installs the real servers the integration tests
# start (InfluxDB 1.x and VictoriaMetrics, from Debian) when they are missing, then `dotnet test`.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v influxd >/dev/null 2>&1 || missing+=(influxdb)
command -v victoria-metrics >/dev/null 2>&1 || missing+=(victoria-metrics)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]} for the integration tests"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi

dotnet test StreamMetrics.sln -c Release --logger "console;verbosity=normal" "$@"
