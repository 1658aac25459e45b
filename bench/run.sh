#!/usr/bin/env bash
# The load benchmark, in one command: builds Release, starts ONE server process on its own
# temporary data directory (bcrypt at the shipped work factor 11), runs every phase against it
# with wrk, prints requests/s, p50, p99 and peak memory, and checks the targets of issue 7.
# Then, on a second server with lockout off, it times refused sign-ins of each kind side by side.
# Exits 0 only when every target passes. See bench/README.md.
#
# Settings (environment): BENCH_DURATION seconds per measured phase (10), BENCH_WARMUP seconds
# of unmeasured load before each (5), BENCH_JIT_WARMUP seconds of load once at start (30), BENCH_CONNECTIONS for the warm phases (64),
# BENCH_KEEP=1 keeps the temporary directory (server log, database).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"

duration="${BENCH_DURATION:-10}"
warmup="${BENCH_WARMUP:-5}"
jit_warmup="${BENCH_JIT_WARMUP:-30}"
connections="${BENCH_CONNECTIONS:-64}"
cold_connections=16
threads=2
cores="$(nproc)"
large_users=100000 large_rules=100000 large_groups=1000

if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing wrk"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  else
    echo "wrk is missing: apt-get install wrk" >&2
    exit 1
  fi
fi

echo "building Release"
# Without build servers: the compiler and MSBuild servers a build leaves behind stay busy for
# minutes, and on a fresh clone (a full build) they were still working while the first phases ran
# (measured: (b) read 35k req/s there against 43k for the same path in (f) minutes later). Shutting
# them down afterwards would also stop other builds running on the machine.
dotnet build src/AuthServer/AuthServer.csproj -c Release -nologo -v q -clp:ErrorsOnly --disable-build-servers >/dev/null
dotnet build bench/AuthServer.Bench/AuthServer.Bench.csproj -c Release -nologo -v q -clp:ErrorsOnly --disable-build-servers >/dev/null
server_bin="$root/src/AuthServer/bin/Release/net10.0/authserver"
bench_bin="$root/bench/AuthServer.Bench/bin/Release/net10.0/AuthServer.Bench"

work="$(mktemp -d /tmp/authserver-bench.XXXXXX)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
server_pid=""
source "$root/bench/lib/instances.sh"
source "$root/bench/lib/postgres.sh"
source "$root/bench/lib/slapd.sh"
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  stop_instances
  stop_slapd
  stop_postgres
  if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# The shipped defaults, except the per-address rate limit: every wrk connection comes from
# 127.0.0.1, which the default limit (50/s, burst 200) would rightly refuse after a moment.
cat >"$work/settings.json" <<EOF
{
  "Urls": "$base",
  "AuthServer": {
    "DataDirectory": "$work/data",
    "Bootstrap": { "AdminName": "admin", "AdminPassword": "admin-password-1" },
    "RateLimit": { "PermitsPerSecond": 1000000, "Burst": 1000000 }
  }
}
EOF
export AUTHSERVER_CONFIG="$work/settings.json"
cli() { "$server_bin" "$@" >/dev/null; }

start_server() {
  "$server_bin" serve >>"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do
    curl -fs "$base/healthz" >/dev/null 2>&1 && return 0
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; echo "server did not start" >&2; exit 1; }
    sleep 0.2
  done
}
start_server

password="bench-password-1"
echo "$password" | "$server_bin" user add bench --password-stdin >/dev/null
basic="Basic $(printf 'bench:%s' "$password" | base64 -w0)"
token_path="/token?service=registry&scope=repository:bench/app:pull"

export BENCH_WRK_DIR="$root/bench/wrk"
# (b') and (c'): fresh.lua appends a scope never asked before to this path, in the user's namespace.
export BENCH_FRESH_PATH="/token?service=registry" BENCH_USER="bench"
# (e): the refresh token of an offline login, as docker login keeps it.
refresh_token="$(curl -fs -X POST -d "grant_type=password&service=registry&client_id=bench&access_type=offline&username=bench&password=$password" "$base/token" |
  python3 -c 'import sys, json; print(json.load(sys.stdin)["refresh_token"])')"
export BENCH_REFRESH_BODY="grant_type=refresh_token&service=registry&client_id=bench&refresh_token=$refresh_token&scope=repository:bench/app:pull"

# wrk for warm-up (discarded), then the measured run; prints "rps p50_ms p99_ms errors".
measure() {
  local conns="$1"; shift
  wrk -t"$threads" -c"$conns" -d"${warmup}s" "$@" >/dev/null
  local out
  out="$(wrk -t"$threads" -c"$conns" -d"${duration}s" --timeout 5s "$@")"
  echo "$out" | awk '/^RESULT/ {
      for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
      printf "%.1f %.2f %.2f %d\n", v["requests"] / (v["duration_us"] / 1e6), v["p50_us"] / 1000, v["p99_us"] / 1000, v["non2xx"] + v["socket_errors"]
    }'
}

# The requests of the phases compared in pairs, as functions of wrk's options.
phase_a() { slice "$1" "$connections" -s "$BENCH_WRK_DIR/get.lua" "$base/healthz"; }
phase_b() { slice "$1" "$connections" -s "$BENCH_WRK_DIR/get.lua" -H "Authorization: $basic" "$base$token_path"; }
phase_e() { slice "$1" "$connections" -s "$BENCH_WRK_DIR/refresh.lua" "$base/token"; }

# Two phases in alternating slices, their requests and times summed: a slower spell of this
# shared machine then falls on both sides of the ratio instead of on one. The order turns each
# round (ABBA...), so neither side is always the one measured right after the switch. p50 is the
# slices' mean, p99 their worst. Prints "rps p50_ms p99_ms errors" for each of the two, on two lines.
interleave() {
  local rounds="$1" slice="$2" first="$3" second="$4" raw_a="" raw_b="" round
  for round in $(seq 1 "$rounds"); do
    if [ $((round % 2)) = 1 ]; then
      raw_a+="$("$first" "$slice")"$'\n'
      raw_b+="$("$second" "$slice")"$'\n'
    else
      raw_b+="$("$second" "$slice")"$'\n'
      raw_a+="$("$first" "$slice")"$'\n'
    fi
  done
  for raw in "$raw_a" "$raw_b"; do
    echo "$raw" | awk 'NF == 5 { r += $1; d += $2; p50 += $3; if ($4 > p99) p99 = $4; e += $5; n++ }
      END { printf "%.1f %.2f %.2f %d\n", r / (d / 1e6), p50 / n / 1000, p99 / 1000, e }'
  done
}
# One slice: 2 s unmeasured, then the measured run; prints "requests duration_us p50_us p99_us errors".
# With $slice_log set, also appends "requests server_ticks other_ticks" to it: the CPU the processes
# in $slice_pids (the server) and in $slice_other_pids (e.g. its database server) used meanwhile.
slice() {
  local seconds="$1" conns="$2"; shift 2
  wrk -t"$threads" -c"$conns" -d2s "$@" >/dev/null
  local server_before other_before out
  server_before="$(sum_ticks ${slice_pids:-})" other_before="$(pid_ticks ${slice_other_pids:-})"
  out="$(wrk -t"$threads" -c"$conns" -d"${seconds}s" --timeout 5s "$@" | awk '/^RESULT/ {
      for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
      printf "%d %d %d %d %d\n", v["requests"], v["duration_us"], v["p50_us"], v["p99_us"], v["non2xx"] + v["socket_errors"] }')"
  if [ -n "${slice_log:-}" ]; then
    echo "${out%% *} $(($(sum_ticks ${slice_pids:-}) - server_before)) $(ticks_since "$other_before")" >>"$slice_log"
  fi
  echo "$out"
}
# "pid:ticks" for each process, then the ticks those still running used since (one that ended
# meanwhile, e.g. a pooled database backend closed, is left out rather than counted negative).
pid_ticks() {
  local pid
  for pid in "$@"; do echo -n "$pid:$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo gone) "; done
}
ticks_since() {
  local total=0 entry pid before now
  for entry in $1; do
    pid="${entry%%:*}" before="${entry#*:}"
    now="$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null)" || continue
    [ "$before" = gone ] || [ -z "$now" ] || total=$((total + now - before))
  done
  echo "$total"
}
# CPU time the processes have used so far, in clock ticks (user + system); gone ones count 0.
sum_ticks() {
  local total=0 pid
  for pid in "$@"; do total=$((total + $(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0))); done
  echo "$total"
}

# The alg of the token the server issues now (the key ring reloads within the revision check interval).
token_alg() {
  curl -fs -H "Authorization: $basic" "$base$token_path" |
    python3 -c 'import sys, json, base64; t = json.load(sys.stdin)["token"].split(".")[0]; print(json.loads(base64.urlsafe_b64decode(t + "=" * (-len(t) % 4)))["alg"])'
}
activate_key() {
  cli keys add --algorithm "$1" --activate
  for _ in $(seq 1 50); do [ "$(token_alg)" = "$1" ] && return 0; sleep 0.1; done
  echo "the server did not switch to $1" >&2
  exit 1
}

declare -A rps p50 p99 errors
# The server's peak memory so far goes with each phase, to tell which one raised it.
record() {
  read -r rps[$1] p50[$1] p99[$1] errors[$1] <<<"$2"
  printf '  %-40s %10s req/s  p50 %7s ms  p99 %7s ms  errors %s  peak %s MB\n' "$3" "${rps[$1]}" "${p50[$1]}" "${p99[$1]}" "${errors[$1]}" \
    "$(awk '/VmHWM/ { print int($2 / 1024) }' "/proc/${4:-$server_pid}/status")"
}

# Tiered compilation needs tens of seconds of load to finish optimising the hot path (with
# dynamic PGO); measured before that, every phase reports the JIT, not the server.
echo "warming up the server (${jit_warmup}s of token and health requests)"
wrk -t"$threads" -c"$connections" -d"$((jit_warmup / 3))s" -H "Authorization: $basic" "$base$token_path" >/dev/null
wrk -t"$threads" -c"$connections" -d"$((jit_warmup / 3))s" -s "$BENCH_WRK_DIR/refresh.lua" "$base/token" >/dev/null
wrk -t"$threads" -c"$connections" -d"$((jit_warmup / 3))s" "$base/healthz" >/dev/null
echo "server pid $server_pid on $base, $cores cores; $threads wrk threads; ${duration}s per phase after ${warmup}s warm-up"
# (a) and (b) make the ratio with the tightest margin: four alternating slices each, in the order ABBAABBA.
{ read -r ab_a; read -r ab_b; } < <(interleave 4 "$(( (duration + 1) / 2 ))" phase_a phase_b)
record a "$ab_a" "(a) GET /healthz"
record b "$ab_b" "(b) GET /token warm password, ES256"
record b2 "$(measure "$connections" -s "$BENCH_WRK_DIR/fresh.lua" -H "Authorization: $basic" "$base/token")" "(b') the same, every token freshly signed"

activate_key RS256
record c "$(measure "$connections" -s "$BENCH_WRK_DIR/get.lua" -H "Authorization: $basic" "$base$token_path")" "(c) GET /token warm password, RS256"
record c2 "$(measure "$connections" -s "$BENCH_WRK_DIR/fresh.lua" -H "Authorization: $basic" "$base/token")" "(c') the same, every token freshly signed"
activate_key ES256

read -r bcrypt_alone_ms bcrypt_ms <<<"$("$bench_bin" bcrypt-time 11)"
cold_warmup=64
"$bench_bin" seed-cold "$work/data/authserver.db" $((5000 + cold_warmup)) "$work/cold-all.txt"
head -n "$cold_warmup" "$work/cold-all.txt" >"$work/cold-warmup.txt"
tail -n +"$((cold_warmup + 1))" "$work/cold-all.txt" >"$work/cold-headers.txt"
export BENCH_THREADS="$threads" BENCH_PATH="$token_path"
# A few seconds of cold sign-ins with users of their own first, so bcrypt's loops on the hashing
# threads are fully compiled before the measured run (each header may be used only once).
BENCH_COLD_HEADERS="$work/cold-warmup.txt" wrk -t"$threads" -c"$cold_connections" -d3s --timeout 10s -s "$BENCH_WRK_DIR/cold.lua" "$base/token" >/dev/null
# The hashes of the warm-up's last requests are still queued when wrk stops: let them finish, or
# the measured run would start behind them.
sleep "$(echo "($cold_connections / $cores + 2) * $bcrypt_ms / 1000 + 1" | bc -l)"
export BENCH_COLD_HEADERS="$work/cold-headers.txt"
# Twice the usual duration: the hashes in flight when wrk stops are lost work, a smaller share of a longer run.
cold_out="$(wrk -t"$threads" -c"$cold_connections" -d"$((2 * duration))s" --timeout 10s -s "$BENCH_WRK_DIR/cold.lua" "$base/token")"
record d "$(echo "$cold_out" | awk '/^RESULT/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
  printf "%.1f %.2f %.2f %d\n", v["requests"] / (v["duration_us"] / 1e6), v["p50_us"] / 1000, v["p99_us"] / 1000, v["non2xx"] + v["socket_errors"] }')" \
  "(d) GET /token cold password (bcrypt)"
# bcrypt timed again right after (d), and the two timings averaged: the machine's speed drifts
# within a run, and the ceiling should be that of the minutes (d) ran in, not of one moment before.
# First the hashes still queued when wrk stopped, or they would slow the timing down.
sleep "$(echo "($cold_connections / $cores + 2) * $bcrypt_ms / 1000 + 1" | bc -l)"
read -r after_alone_ms after_ms <<<"$("$bench_bin" bcrypt-time 11)"
bcrypt_alone_ms="$(echo "($bcrypt_alone_ms + $after_alone_ms) / 2" | bc -l | xargs printf '%.2f')"
bcrypt_ms="$(echo "($bcrypt_ms + $after_ms) / 2" | bc -l | xargs printf '%.2f')"

# (e) against (b) in alternating slices too: a refresh grant should cost about what a warm
# password does (both read only memory while nothing changed).
{ read -r eb_b; read -r eb_e; } < <(interleave 4 "$(( (duration + 1) / 2 ))" phase_b phase_e)
record b3 "$eb_b" "(b) again, alternating with (e)"
record e "$eb_e" "(e) POST /token refresh grant"

seed_start=$(date +%s.%N)
"$bench_bin" seed-large "$work/data/authserver.db" "$large_users" "$large_rules" "$large_groups" bench
seed_s=$(echo "$(date +%s.%N) - $seed_start" | bc)
# The first request after the seed waits for the policy snapshot to be rebuilt.
rebuild_s="$(curl -fs -o /dev/null -w '%{time_total}' -H "Authorization: $basic" "$base$token_path")"
record f "$(measure "$connections" -s "$BENCH_WRK_DIR/get.lua" -H "Authorization: $basic" "$base$token_path")" \
  "(f) (b) with 100k users/rules, 1k groups"
peak_kb="$(awk '/VmHWM/ { print $2 }' "/proc/$server_pid/status")"
rss_kb="$(awk '/VmRSS/ { print $2 }' "/proc/$server_pid/status")"

# Refused sign-ins timed side by side, on the same database served again with lockout off (the
# alternating failures would otherwise lock the accounts and the address, and answer 429).
cli robot add timed
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
AuthServer__Lockout__Enabled=false start_server
timing_out="$("$bench_bin" login-timing "$base" registry bench robot+timed)"
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
server_pid=""

source "$root/bench/more-phases.sh"

printf '\n  seeding %s users, %s rules, %s groups: %.1f s; first request after it (policy rebuild): %.3f s\n' \
  "$large_users" "$large_rules" "$large_groups" "$seed_s" "$rebuild_s"
printf '  one bcrypt verification (work factor 11, mean of the timings before and after (d)): %s ms alone, %s ms each with %s running at once\n' "$bcrypt_alone_ms" "$bcrypt_ms" "$cores"
printf '  cold ceiling: %s cores / %s ms = %.1f req/s (alone it would be %.1f)\n' \
  "$cores" "$bcrypt_ms" "$(echo "$cores * 1000 / $bcrypt_ms" | bc -l)" "$(echo "$cores * 1000 / $bcrypt_alone_ms" | bc -l)"
printf '  server memory after (f): peak (VmHWM) %d MB, now (VmRSS) %d MB\n\n' $((peak_kb / 1024)) $((rss_kb / 1024))
echo "refused sign-ins, bcrypt 11, lockout off, kinds alternating:"
echo "$timing_out"
echo

failed=0
check() {
  local name="$1" value="$2" op="$3" limit="$4"
  if [ "$(echo "$value $op $limit" | bc -l)" = 1 ]; then result=PASS; else result=FAIL; failed=1; fi
  printf '  %-4s %-48s %10.3f %s %s\n' "$result" "$name" "$value" "$op" "$limit"
}
ratio() { echo "$1 / $2" | bc -l; }
echo "ratios: b/a $(printf %.3f "$(ratio "${rps[b]}" "${rps[a]}")"), e/b $(printf %.3f "$(ratio "${rps[e]}" "${rps[b3]}")"), c/a $(printf %.3f "$(ratio "${rps[c]}" "${rps[a]}")"), f/b $(printf %.3f "$(ratio "${rps[f]}" "${rps[b]}")")"
echo "ratios of (g)-(k): metrics on/off $(printf %.3f "$(ratio "${rps[g_on]}" "${rps[g_off]}")"), directory/local $(printf %.3f "$(ratio "${rps[h_dir]}" "${rps[h_local]}")"), PostgreSQL/SQLite $(printf %.3f "$(ratio "${rps[i_pg]}" "${rps[i_sqlite]}")") (per server core $(printf %.3f "$(ratio "$i_pg_per_core" "$i_sqlite_per_core")")), flooded/quiet $(printf %.3f "$(ratio "${rps[k_flood]}" "${rps[k_quiet]}")")"
echo "information (no target): b'/a $(printf %.3f "$(ratio "${rps[b2]}" "${rps[a]}")"), c'/a $(printf %.3f "$(ratio "${rps[c2]}" "${rps[a]}")") (every token signed)"
echo "targets:"
check "b/a (warm token vs HTTP ceiling)" "$(ratio "${rps[b]}" "${rps[a]}")" ">=" 0.5
check "p99 of (b) at $connections connections, ms" "${p99[b]}" "<=" 10
check "e/b (refresh grant vs warm password, alternating)" "$(ratio "${rps[e]}" "${rps[b3]}")" ">=" 0.9
check "f/b (100k users/rules vs small)" "$(ratio "${rps[f]}" "${rps[b]}")" ">=" 0.9
check "peak memory after (f), MB" "$((peak_kb / 1024))" "<=" 250
# The issue's measure: cores / one verification timed alone. (Two at once each take a little
# longer on these shared cores; that stricter ceiling is printed above for information.)
check "(d) vs 90% of cores / one bcrypt verification, req/s" "${rps[d]}" ">=" "$(echo "0.9 * $cores * 1000 / $bcrypt_alone_ms" | bc -l)"
check "(g) metrics on / off (cost < 5%)" "$(ratio "${rps[g_on]}" "${rps[g_off]}")" ">=" 0.95
check "(h) directory user / local user, warm" "$(ratio "${rps[h_dir]}" "${rps[h_local]}")" ">=" 0.9
# Per token-server core-second (see (i) in more-phases.sh); the raw ratio is in the line "ratios of (g)-(k)".
check "(i) PostgreSQL / SQLite, warm, per server core" "$(ratio "$i_pg_per_core" "$i_sqlite_per_core")" ">=" 0.95
check "(j) two pinned replicas / one, per server core" "$replica_scaling" ">=" 1.8
check "(k) warm token during a guessing flood / quiet" "$(ratio "${rps[k_flood]}" "${rps[k_quiet]}")" ">=" 0.5
for phase in a b b2 b3 c c2 d e f j g_on g_off h_local h_dir i_sqlite i_pg k_quiet k_flood; do
  check "(${phase/2/\'}) answered without errors" "${errors[$phase]}" "<=" 0
done
exit "$failed"
