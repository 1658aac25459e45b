# A PostgreSQL cluster for the bench: Debian's initdb and pg_ctl in $work/pg, run by the
# unprivileged postgres user (as root) on a free loopback port, with the shipped durability
# settings (fsync on): the warm path must not touch the database, so its settings should not
# matter, and the cold paths are measured as an operator would run them.

pg_bin=""
pg_port=""
pg_run() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

start_postgres() {
  pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  if [ -z "$pg_bin" ]; then
    if [ "$(id -u)" = 0 ]; then
      echo "installing postgresql"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
      pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
    else
      echo "PostgreSQL is missing: apt-get install postgresql" >&2
      exit 1
    fi
  fi
  pg_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  chmod 755 "$work"
  mkdir -p "$work/pg"
  [ "$(id -u)" = 0 ] && chown postgres "$work/pg"
  pg_run "$pg_bin/initdb" -D "$work/pg/data" -U postgres -A trust -E UTF8 --no-instructions >/dev/null
  pg_run "$pg_bin/pg_ctl" -D "$work/pg/data" -l "$work/pg/server.log" -w \
    -o "-p $pg_port -c listen_addresses=127.0.0.1 -k $work/pg -c max_connections=300" start >/dev/null
}

stop_postgres() {
  [ -n "$pg_port" ] || return 0
  pg_run "$pg_bin/pg_ctl" -D "$work/pg/data" -m fast stop >/dev/null 2>&1 || true
  pg_port=""
}

# The cluster's processes: the postmaster and its children (backends, WAL writer, checkpointer...).
postgres_pids() {
  local main
  main="$(head -1 "$work/pg/data/postmaster.pid" 2>/dev/null)" || return 0
  echo "$main $(pgrep -P "$main" | tr '\n' ' ')"
}

pg_connection() { echo "Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=$1"; }
