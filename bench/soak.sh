#!/usr/bin/env bash
# Soak run (issue 17): does the worker's RSS stay flat once the population of retained customers is steady?
#
#   bench/soak.sh [--customers N] [--days D] [--seed S] [--rate R] [--behaviour r,alpha,a,b]
#                 [--retention DURATION] [--interval SECONDS] [--idle SECONDS] [--csv FILE] [--no-build]
#
# Builds the worker (Release), starts `dev-kafka`, a long-running `run` and `simulate --rate R` on that cluster,
# and samples every --interval seconds, until the simulator has finished and the worker has read everything, then
# for --idle seconds more, before it stops the worker with SIGTERM:
#   - the worker's RSS and peak RSS (VmRSS, VmHWM of /proc/PID/status), and the managed heap its latest full
#     collection left (/metrics);
#   - from its /metrics: orders applied and dead-lettered, consumer lag, customers live and passivated;
#   - from the points it writes: the newest period every orders partition has closed (event time reached), the
#     customers retained at its end (`customers` of `segment_metrics`, scheme region, summed over partitions), and
#     the new customers up to it (`new_customers` summed): new minus retained is the customers forgotten.
# One CSV row per sample (--csv, default: in the run's directory), a summary at the end.
#
# Orders are produced while the worker consumes because librdkafka's mock cluster keeps only a few MiB per
# partition: producing millions first would lose the oldest. Choose --rate below what the worker sustains; the
# script warns when the lag passes --max-lag.
#
# There is no file sink for `run` (it needs Influx:Url), so the points go to a stand-in for InfluxDB: a small
# python3 HTTP server that answers every write with 204 and keeps only the segment_metrics figures above. Its
# /ping names no version, so the worker treats it as "unverified" and writes (README, InfluxDB.Client and our
# writer). Needs: the .NET 10 SDK, python3, curl. Everything runs under `nice -n 10` and in a fresh directory
# under /tmp, removed at the end (--keep keeps it).
set -euo pipefail
cd "$(dirname "$0")/.."

customers=100000 days=1643 seed=17 rate=2000 behaviour=2,5,10,190 retention=365d
interval=10 idle=60 max_lag=100000 csv="" build=1 keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --customers) customers=$2; shift 2 ;;
    --days) days=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    --behaviour) behaviour=$2; shift 2 ;;
    --retention) retention=$2; shift 2 ;;
    --interval) interval=$2; shift 2 ;;
    --idle) idle=$2; shift 2 ;;
    --max-lag) max_lag=$2; shift 2 ;;
    --csv) csv=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "soak: unknown option $1 (--help)" >&2; exit 2 ;;
  esac
done
for tool in dotnet python3 curl; do
  command -v "$tool" >/dev/null || { echo "soak: $tool is needed" >&2; exit 2; }
done

dll=src/StreamMetrics.Worker/bin/Release/net10.0/streammetrics.dll
if [ "$build" = 1 ]; then
  nice -n 10 dotnet build -c Release src/StreamMetrics.Worker -v q -nologo >/dev/null
fi
[ -f "$dll" ] || { echo "soak: $dll is missing (build it, or drop --no-build)" >&2; exit 2; }

dir=$(mktemp -d /tmp/streammetrics-soak.XXXXXX)
[ -n "$csv" ] || csv=$dir/soak.csv
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$keep" = 1 ]; then echo "soak: logs kept in $dir"; else rm -rf "$dir"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
sm=(nice -n 10 dotnet "$dll")   # run directly, so that $! is the process itself (nice execs dotnet)

# A stand-in for InfluxDB: 204 to everything; keeps segment_metrics (scheme=region) per period and partition.
cat > "$dir/influx_stub.py" <<'PY'
import gzip, re, sys, threading, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
lock = threading.Lock()
periods = {}            # period start (ns) -> {partition: (customers, new_customers)}
counts = {"points": 0, "bytes": 0, "writes": 0}
PART, CUST, NEW = re.compile(rb"[,]partition=(\d+)"), re.compile(rb" customers=(\d+)i"), re.compile(rb"new_customers=(\d+)i")
class Stub(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args): pass
    def answer(self, code, body=b""):
        self.send_response(code)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body: self.wfile.write(body)
    def do_GET(self):
        if not self.path.startswith("/soak"): return self.answer(204)
        with lock:
            parts = max((len(p) for p in periods.values()), default=0)
            complete = sorted(t for t, p in periods.items() if len(p) == parts and parts > 0)
            last = complete[-1] if complete else None
            retained = sum(c for c, _ in periods[last].values()) if last else ""
            new = sum(n for t in complete for _, n in periods[t].values()) if last else ""
            day = datetime.datetime.fromtimestamp(last / 1e9, datetime.timezone.utc).strftime("%Y-%m-%d") if last else ""
            text = f"{day},{retained},{new},{counts['points']},{counts['bytes']}\n"
        self.answer(200, text.encode())
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.headers.get("Content-Encoding") == "gzip": body = gzip.decompress(body)
        lines = body.split(b"\n")
        seen = []
        for line in lines:
            if line.startswith(b"segment_metrics,") and b"scheme=region" in line:
                try:
                    seen.append((int(line.rsplit(b" ", 1)[1]), int(PART.search(line).group(1)),
                                 int(CUST.search(line).group(1)), int(NEW.search(line).group(1))))
                except (AttributeError, ValueError, IndexError): pass
        with lock:
            counts["points"] += sum(1 for l in lines if l); counts["bytes"] += len(body); counts["writes"] += 1
            sums = {}
            for t, p, c, n in seen:
                s = sums.setdefault((t, p), [0, 0]); s[0] += c; s[1] += n
            for (t, p), (c, n) in sums.items(): periods.setdefault(t, {})[p] = (c, n)
        self.answer(204)
server = ThreadingHTTPServer(("127.0.0.1", 0), Stub)
server.daemon_threads = True
open(sys.argv[1], "w").write(str(server.server_address[1]))
server.serve_forever()
PY
nice -n 10 python3 "$dir/influx_stub.py" "$dir/influx.port" & pids+=($!)
http_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

"${sm[@]}" dev-kafka > "$dir/dev-kafka.log" 2>&1 & pids+=($!)
for _ in $(seq 100); do
  [ -s "$dir/influx.port" ] && grep -q '^bootstrap.servers=' "$dir/dev-kafka.log" && break
  sleep 0.3
done
bootstrap=$(sed -n 's/^bootstrap.servers=//p' "$dir/dev-kafka.log" | head -1)
influx=http://127.0.0.1:$(cat "$dir/influx.port")
[ -n "$bootstrap" ] || { echo "soak: dev-kafka printed no bootstrap.servers line:" >&2; cat "$dir/dev-kafka.log" >&2; exit 1; }

# The simulator starts on 2024-01-01: a span that runs past today needs a MaxFutureSkew to match, or the worker
# dead-letters the orders "from the future".
settings=(--set "Kafka:BootstrapServers=$bootstrap")
worker_settings=("${settings[@]}" --set "Influx:Url=$influx" --set "Http:Listen=127.0.0.1:$http_port"
  --set "Metrics:CustomerRetention=$retention" --set "Metrics:MaxFutureSkew=3650d")
echo "soak: $customers customers over $days days (seed $seed, behaviour $behaviour) at $rate orders/s," \
  "retention $retention; Kafka $bootstrap, InfluxDB stand-in $influx, worker http://127.0.0.1:$http_port/metrics; logs in $dir"

"${sm[@]}" run "${worker_settings[@]}" > "$dir/worker.log" 2>&1 & worker=$!; pids+=($worker)
"${sm[@]}" simulate "${settings[@]}" --customers "$customers" --days "$days" --seed "$seed" --rate "$rate" \
  --behaviour "$behaviour" > "$dir/simulate.log" 2>&1 & simulate=$!; pids+=($simulate)

metric() { # sum of a Prometheus series' values whose line matches the regex
  awk -v re="$1" '$0 !~ /^#/ && $0 ~ re { s += $NF } END { printf "%d", s }' "$dir/metrics.txt"
}
echo "t_s,rss_mib,rss_peak_mib,heap_after_full_gc_mib,orders_applied,dead_letters,lag,customers_live,customers_passivated,event_day,customers_retained,customers_new,points,simulate_running" > "$csv"
start=$(date +%s) done_at="" simulate_rc=""
while kill -0 "$worker" 2>/dev/null; do
  sleep "$interval"
  now=$(( $(date +%s) - start ))
  rss=$(awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$worker/status" 2>/dev/null || echo "")
  hwm=$(awk '/^VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$worker/status" 2>/dev/null || echo "")
  curl -s -m 5 "http://127.0.0.1:$http_port/metrics" > "$dir/metrics.txt" || : > "$dir/metrics.txt"
  heap=$(( $(metric '^streammetrics_managed_heap_after_full_collection_bytes') / 1048576 ))
  applied=$(metric '^streammetrics_orders_total.*outcome="applied"')
  dead=$(metric '^streammetrics_orders_total.*outcome="dead_lettered"')
  lag=$(metric '^streammetrics_consumer_lag\{')
  live=$(metric '^streammetrics_customers\{.*state="live"')
  passivated=$(metric '^streammetrics_customers\{.*state="passivated"')
  stub=$(curl -s -m 5 "$influx/soak" || echo ",,,,")
  running=0
  if [ -z "$simulate_rc" ]; then
    if kill -0 "$simulate" 2>/dev/null; then running=1; else wait "$simulate" && simulate_rc=0 || simulate_rc=$?; fi
  fi
  echo "$now,$rss,$hwm,$heap,$applied,$dead,$lag,$live,$passivated,${stub%,*},$running" >> "$csv"
  echo "soak: ${now}s rss ${rss} MiB heap after full GC ${heap} MiB applied $applied lag $lag live $live passivated $passivated event day/retained/new/points ${stub%,*}"
  [ "$lag" -gt "$max_lag" ] && echo "soak: WARNING lag $lag > $max_lag: the mock cluster may drop records not yet read; lower --rate" >&2
  if [ -n "$simulate_rc" ] && [ "$simulate_rc" != 0 ]; then
    echo "soak: simulate failed (exit $simulate_rc):" >&2; cat "$dir/simulate.log" >&2; break
  fi
  produced=$(sed -n 's/.*: \([0-9]*\) orders and.*/\1/p' "$dir/simulate.log")
  # Caught up: the simulator is done and every order it produced is applied or dead-lettered, with no lag.
  if [ -z "$done_at" ] && [ "$simulate_rc" = 0 ] && [ "$lag" = 0 ] && [ -n "$produced" ] \
     && [ $(( applied + dead )) -ge "$produced" ]; then
    done_at=$now; echo "soak: caught up at ${now}s; $idle s more before SIGTERM"
  fi
  [ -n "$done_at" ] && [ $(( now - done_at )) -ge "$idle" ] && break
done

kill -TERM "$worker" 2>/dev/null || true
wait "$worker" && worker_rc=0 || worker_rc=$?
echo "soak: worker exited $worker_rc"
echo "soak: simulate: $(tail -1 "$dir/simulate.log")"
echo "soak: worker's last lines:"; tail -3 "$dir/worker.log" | sed 's/^/  /'
echo "soak: samples in $csv"
[ "$keep" = 1 ] || case "$csv" in "$dir"/*) keep=1 ;; esac
