# More servers beside bench/run.sh's first one: each an `authserver serve` process of its own with
# a settings file, a port and (unless its settings name PostgreSQL) a SQLite data directory of its
# own. Sourced by bench/run.sh, which defines $server_bin, $work and $threads.

declare -A instance_pid instance_url instance_config

# start_instance NAME EXTRA_JSON [PREFIX...]: EXTRA_JSON is merged into the "AuthServer" section;
# PREFIX (e.g. taskset -c 0) runs the server. Waits until /healthz answers.
start_instance() {
  local name="$1" extra="$2"; shift 2
  local port config="$work/$name.json"
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  python3 - "$config" "$port" "$work/$name-data" "$extra" <<'PY'
import json, sys
config, port, data, extra = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4] or "{}")
server = {
    "DataDirectory": data,
    "Bootstrap": {"AdminName": "admin", "AdminPassword": "admin-password-1"},
    # As for the first server: every wrk connection comes from 127.0.0.1.
    "RateLimit": {"PermitsPerSecond": 1000000, "Burst": 1000000},
}
def merge(into, more):
    for key, value in more.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict): merge(into[key], value)
        else: into[key] = value
merge(server, extra)
json.dump({"Urls": f"http://127.0.0.1:{port}", "AuthServer": server}, open(config, "w"), indent=2)
PY
  instance_config[$name]="$config"
  instance_url[$name]="http://127.0.0.1:$port"
  AUTHSERVER_CONFIG="$config" "$@" "$server_bin" serve >>"$work/$name.log" 2>&1 &
  instance_pid[$name]=$!
  for _ in $(seq 1 150); do
    curl -fs "${instance_url[$name]}/healthz" >/dev/null 2>&1 && return 0
    kill -0 "${instance_pid[$name]}" 2>/dev/null || { tail -20 "$work/$name.log"; echo "server $name did not start" >&2; exit 1; }
    sleep 0.2
  done
  echo "server $name did not answer /healthz" >&2
  exit 1
}

stop_instance() {
  local pid="${instance_pid[$1]:-}"
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  instance_pid[$1]=""
}

stop_instances() {
  local name
  for name in "${!instance_pid[@]}"; do stop_instance "$name"; done
}

# The CLI against an instance's settings (its database).
instance_cli() {
  local name="$1"; shift
  AUTHSERVER_CONFIG="${instance_config[$name]}" "$server_bin" "$@" >/dev/null
}

# CPU time the process has used so far, in clock ticks (user + system).
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# Unmeasured load until tiered compilation has optimised the instance's warm path.
warm_instance() {
  local name="$1" header="$2" seconds="${3:-10}"
  wrk -t"$threads" -c"$connections" -d"${seconds}s" -H "Authorization: $header" "${instance_url[$name]}$token_path" >/dev/null
}
