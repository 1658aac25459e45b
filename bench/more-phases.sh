# Phases (g)-(k) of bench/run.sh (sourced by it after (f) and the refused sign-ins): servers of
# their own beside the first, each pair measured in alternating slices in the same run.
#   (g) (b) with metrics collected (the default) against a server with AuthServer:Telemetry:Metrics false
#   (h) (b) for a directory user (LDAP, a real slapd) against a local user, on the same server
#   (i) (b) on PostgreSQL against (b) on SQLite
#   (k) (b) on one PostgreSQL replica while the other takes a password-guessing flood, against no flood
#   (j) two PostgreSQL replicas, each pinned to one core, against one of them alone
# Each server is a fresh installation: its own data directory, bootstrap administrator and user bench.

echo
echo "starting the servers of (g)-(k): SQLite with and without metrics, one with a directory, two PostgreSQL replicas"
start_postgres
start_slapd
kek="$(head -c 32 /dev/urandom | base64 -w0)"
pg_settings="{ \"Database\": { \"Provider\": \"PostgreSQL\", \"ConnectionString\": \"$(pg_connection authserver_bench)\" },
               \"Signing\": { \"KeyEncryptionKey\": \"$kek\" } }"
start_instance sqlite '{}'
start_instance nometrics '{ "Telemetry": { "Metrics": false } }'
# (g)'s control: a second server exactly like "sqlite" (metrics on), measured against it the same
# way, so the run shows how far apart two identical processes read (tiered compilation and PGO
# make each process's code its own).
start_instance twin '{}'
start_instance ldap "$(ldap_settings)"
start_instance pg1 "$pg_settings"
start_instance pg2 "$pg_settings"
for name in sqlite nometrics twin ldap pg1; do echo "$password" | instance_cli "$name" user add bench --password-stdin; done

ldap_basic="Basic $(printf 'ldapbench:%s' "$ldap_password" | base64 -w0)"
# Each user asks for their own namespace, so both answers grant the same (one pull).
ldap_token_path="/token?service=registry&scope=repository:ldapbench/app:pull"
warm_get() { slice "$1" "$connections" -s "$BENCH_WRK_DIR/get.lua" -H "Authorization: $2" "$3"; }
phase_g_on() { warm_get "$1" "$basic" "${instance_url[sqlite]}$token_path"; }
phase_g_off() { warm_get "$1" "$basic" "${instance_url[nometrics]}$token_path"; }
phase_g_twin() { warm_get "$1" "$basic" "${instance_url[twin]}$token_path"; }
phase_h_local() { warm_get "$1" "$basic" "${instance_url[ldap]}$token_path"; }
phase_h_dir() { warm_get "$1" "$ldap_basic" "${instance_url[ldap]}$ldap_token_path"; }
# (i) also logs each slice's CPU: the server's, and on PostgreSQL the database server's.
phase_i_sqlite() { slice_pids="${instance_pid[sqlite]}" slice_log="$work/i_sqlite.cpu" warm_get "$1" "$basic" "${instance_url[sqlite]}$token_path"; }
phase_i_pg() {
  slice_pids="${instance_pid[pg1]}" slice_other_pids="$(postgres_pids)" slice_log="$work/i_pg.cpu" \
    warm_get "$1" "$basic" "${instance_url[pg1]}$token_path"
}
phase_k_quiet() { warm_get "$1" "$basic" "${instance_url[pg1]}$token_path"; }
# The flood starts with the slice's unmeasured 2 s and outlasts its measured part.
flood_connections=16
phase_k_flood() {
  wrk -t1 -c"$flood_connections" -d"$(($1 + 3))s" --timeout 10s -s "$BENCH_WRK_DIR/flood.lua" "${instance_url[pg2]}" >>"$work/flood.out" &
  local flood=$!
  warm_get "$1" "$basic" "${instance_url[pg1]}$token_path"
  wait "$flood"
}

echo "warming up the servers of (g)-(k) (10 s each)"
for name in sqlite nometrics twin pg1 pg2; do warm_instance "$name" "$basic"; done
wrk -t"$threads" -c"$connections" -d5s -H "Authorization: $basic" "${instance_url[ldap]}$token_path" >/dev/null
wrk -t"$threads" -c"$connections" -d5s -H "Authorization: $ldap_basic" "${instance_url[ldap]}$ldap_token_path" >/dev/null

half="$(( (duration + 1) / 2 ))"
{ read -r r_on; read -r r_off; } < <(interleave 4 "$half" phase_g_on phase_g_off)
record g_on "$r_on" "(g) (b) with metrics (SQLite)" "${instance_pid[sqlite]}"
record g_off "$r_off" "(g) (b) with metrics off" "${instance_pid[nometrics]}"
{ read -r r_first; read -r r_twin; } < <(interleave 4 "$half" phase_g_on phase_g_twin)
read -r twin_first _ <<<"$r_first"
read -r twin_second _ <<<"$r_twin"
stop_instance twin
printf '  (g) control, no target: the same server against its twin (both with metrics), the same way: %.3f\n' "$(echo "$twin_first / $twin_second" | bc -l)"
{ read -r r_local; read -r r_dir; } < <(interleave 4 "$half" phase_h_local phase_h_dir)
record h_local "$r_local" "(h) (b) local user, directory configured" "${instance_pid[ldap]}"
record h_dir "$r_dir" "(h) (b) directory user (LDAP)" "${instance_pid[ldap]}"
{ read -r r_sqlite; read -r r_pg; } < <(interleave 4 "$half" phase_i_sqlite phase_i_pg)
record i_sqlite "$r_sqlite" "(i) (b) on SQLite" "${instance_pid[sqlite]}"
record i_pg "$r_pg" "(i) (b) on PostgreSQL" "${instance_pid[pg1]}"
# Requests per core-second of the token server itself, as (j) counts them: the warm path reads no
# table on either, but each answered request still writes its audit row, and PostgreSQL's own
# processes ingesting those rows take a share of this 2-core machine that SQLite's in-process
# writer spends inside the server. Printed with that share; the target reads the server's figure.
hz="$(getconf CLK_TCK)"
read -r i_sqlite_per_core _ < <(awk -v hz="$hz" '{ r += $1; t += $2 } END { printf "%.1f\n", r / (t / hz) }' "$work/i_sqlite.cpu")
read -r i_pg_per_core i_pg_share < <(awk -v hz="$hz" '{ r += $1; t += $2; o += $3 } END { printf "%.1f %.3f\n", r / (t / hz), o / (t + o) }' "$work/i_pg.cpu")
printf '  (i) requests per token-server core-second: SQLite %.0f, PostgreSQL %.0f; PostgreSQL'"'"'s own processes used %.1f%% of the CPU of (i) on PostgreSQL (audit rows)\n' \
  "$i_sqlite_per_core" "$i_pg_per_core" "$(echo "$i_pg_share * 100" | bc -l)"
{ read -r r_quiet; read -r r_flood; } < <(interleave 4 "$half" phase_k_quiet phase_k_flood)
record k_quiet "$r_quiet" "(k) (b) on replica 1, replica 2 quiet" "${instance_pid[pg1]}"
record k_flood "$r_flood" "(k) the same, replica 2 under a guessing flood" "${instance_pid[pg1]}"
flood_statuses="$(awk '/^FLOOD/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); n[kv[1]] += kv[2] } }
  END { for (s in n) printf "%s %s, ", s, n[s] }' "$work/flood.out")"
echo "  the flood ($flood_connections connections, random names and passwords) was answered: ${flood_statuses%, }"

# (j): the replicas pinned, one core each (every thread, the ones made later inherit it); wrk
# not pinned. One wrk process per replica, one thread each, so both sides drive the same way.
taskset -apc 0 "${instance_pid[pg1]}" >/dev/null
taskset -apc 1 "${instance_pid[pg2]}" >/dev/null
replica_conns=32
# replica_round N SECONDS: N (1 or 2) replicas under load; prints "requests server_ticks".
replica_round() {
  local n="$1" seconds="$2" names=(pg1 pg2) ticks_before ticks_after i out=""
  for ((i = 0; i < n; i++)); do
    wrk -t1 -c"$replica_conns" -d2s -H "Authorization: $basic" "${instance_url[${names[$i]}]}$token_path" >/dev/null &
  done
  wait
  ticks_before=$(($(cpu_ticks "${instance_pid[pg1]}") + $(cpu_ticks "${instance_pid[pg2]}")))
  for ((i = 0; i < n; i++)); do
    wrk -t1 -c"$replica_conns" -d"${seconds}s" --timeout 5s -s "$BENCH_WRK_DIR/get.lua" -H "Authorization: $basic" \
      "${instance_url[${names[$i]}]}$token_path" >"$work/replica-$i.out" &
  done
  wait
  ticks_after=$(($(cpu_ticks "${instance_pid[pg1]}") + $(cpu_ticks "${instance_pid[pg2]}")))
  for ((i = 0; i < n; i++)); do out+="$(cat "$work/replica-$i.out")"$'\n'; done
  echo "$out" | awk -v ticks=$((ticks_after - ticks_before)) '/^RESULT/ {
      for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
      r += v["requests"]; d = v["duration_us"] > d ? v["duration_us"] : d; e += v["non2xx"] + v["socket_errors"] }
    END { printf "%d %d %d %d\n", r, d, ticks, e }'
}
one_req=0 one_us=0 one_ticks=0 two_req=0 two_us=0 two_ticks=0 replica_errors=0
for _ in 1 2 3; do
  read -r req us ticks errs <<<"$(replica_round 1 "$half")"
  one_req=$((one_req + req)) one_us=$((one_us + us)) one_ticks=$((one_ticks + ticks)) replica_errors=$((replica_errors + errs))
  read -r req us ticks errs <<<"$(replica_round 2 "$half")"
  two_req=$((two_req + req)) two_us=$((two_us + us)) two_ticks=$((two_ticks + ticks)) replica_errors=$((replica_errors + errs))
done
hz="$(getconf CLK_TCK)"
one_rps="$(echo "$one_req / ($one_us / 1000000)" | bc -l)"
two_rps="$(echo "$two_req / ($two_us / 1000000)" | bc -l)"
one_cores="$(echo "$one_ticks / $hz / ($one_us / 1000000)" | bc -l)"
two_cores="$(echo "$two_ticks / $hz / ($two_us / 1000000)" | bc -l)"
# The figure the target reads: what two replicas would serve with a whole core each, from the
# requests each core-second of theirs served, against one replica's. On this 2-core machine wrk
# needs a share of both cores while two replicas run, so the raw ratio is bounded by the load
# generator, not by the replicas (printed too).
replica_scaling="$(echo "2 * ($two_rps / $two_cores) / ($one_rps / $one_cores)" | bc -l)"
printf '  (j) one replica pinned to core 0: %.0f req/s using %.2f cores; two, on cores 0 and 1: %.0f req/s using %.2f cores (errors %d)\n' \
  "$one_rps" "$one_cores" "$two_rps" "$two_cores" "$replica_errors"
printf '  (j) raw two/one %.3f; per server core-second two/one %.3f, so two replicas with a core each: %.3f x one\n' \
  "$(echo "$two_rps / $one_rps" | bc -l)" "$(echo "($two_rps / $two_cores) / ($one_rps / $one_cores)" | bc -l)" "$replica_scaling"
errors[j]="$replica_errors"
rps[j]="$two_rps"

stop_instances
stop_slapd
stop_postgres
