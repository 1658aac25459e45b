#!/usr/bin/env bash
# Runs every test project and ends with one line: "N passed, M failed" (CI reads only that line).
set -uo pipefail
cd "$(dirname "$0")"

results="$(pwd)/TestResults"
rm -rf "$results"
mkdir -p "$results"

# Tools the tests drive for real. As root they are installed from Debian when missing; without
# them the tests that need them fail (never skip) under CI=true.
packages=()
need() { command -v "$1" >/dev/null 2>&1 || packages+=("$2"); }
# Like need, for a program Debian keeps off PATH (PostgreSQL's server tools live under /usr/lib/postgresql/VERSION/bin).
need_file() { compgen -G "$1" >/dev/null || packages+=("$2"); }
# The interop suite (tests/AuthServer.Interop.Tests) drives the real registry and clients;
# the built-in registry's tests (tests/AuthServer.Tests/Registry) drive skopeo too.
need docker-registry docker-registry
need skopeo skopeo
need podman podman
need dockerd docker.io
# The web console's browser tests (tests/AuthServer.Tests/WebConsole) drive Debian's headless Chromium.
need chromium chromium
need chromedriver chromium-driver
# The import tests (tests/AuthServer.Tests/Import) read password files made by the real htpasswd -B.
need htpasswd apache2-utils
# The imported-key interop tests make a docker_auth-style certificate and key with openssl; the
# TLS tests (tests/AuthServer.Tests/Hosting/TlsTests) make a test CA with it and ask the server with curl.
need openssl openssl
need curl curl
# The PostgreSQL tests (provider-parametrised tests' *OnPostgres classes, tests/AuthServer.Tests/ScaleOut)
# start one cluster for the run with Debian's initdb and pg_ctl.
need_file '/usr/lib/postgresql/*/bin/initdb' postgresql
# The compose topology test (tests/AuthServer.Interop.Tests/ScaleOut) runs deploy/haproxy/haproxy.cfg
# with Debian's HAProxy, ending TLS in front of two replicas and the registry.
need haproxy haproxy
# The metrics tests (tests/AuthServer.Tests/Telemetry) run a real Prometheus server and promtool.
need prometheus prometheus
need promtool prometheus
# The directory sign-in tests (tests/AuthServer.Tests/Ldap, tests/AuthServer.Interop.Tests/Ldap) run a real OpenLDAP slapd and load it with ldapadd.
need slapd slapd
need ldapadd ldap-utils
# The single sign-on tests (tests/AuthServer.Tests/Sso) run a real OpenID provider: the npm
# package oidc-provider under Debian's node, installed below from tests/oidc-provider's lock file.
need node nodejs
need npm npm
if [ ${#packages[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing ${packages[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null && apt-get install -y -qq "${packages[@]}" >/dev/null \
      || echo "warning: could not install ${packages[*]}" >&2
  else
    echo "warning: not root, cannot install ${packages[*]}" >&2
  fi
fi

# Without node or the package the SSO tests fail, never skip (OidcTestProvider says why).
# It installs while the build runs: it mostly waits for files, the build for the CPU.
npm_install=""
if command -v npm >/dev/null 2>&1; then
  (cd tests/oidc-provider && npm ci --no-audit --no-fund --loglevel=error) &
  npm_install=$!
fi

dotnet build AuthServer.sln -c Release -nologo -v q -clp:ErrorsOnly
build_rc=$?
if [ -n "$npm_install" ] && ! wait "$npm_install"; then
  echo "warning: npm ci in tests/oidc-provider failed" >&2
fi
if [ "$build_rc" != 0 ]; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

passed=0
failed=0
timings=()

# The format check and every test project (tests/AuthServer.TestSupport is a library they share,
# not a suite) run at the same time: the interop suite mostly waits for the registry and clients it
# drives, and the format check mostly for MSBuild, so on two cores side by side they take about as
# long as the longest alone. Each writes its own log, printed whole when everything has finished.
started_all=$SECONDS
# The code's layout is part of the suite: .editorconfig, checked as `dotnet format` would fix it.
# Its whitespace and style (imports, namespaces) passes only: the third pass, analyzers, reports
# what the build above already refused (analyzer warnings are errors there) and cost as much CPU
# as the other two together, taken from the test projects running beside it.
(
  started=$SECONDS
  dotnet format whitespace AuthServer.sln --verify-no-changes --no-restore -v q >"$results/format.log" 2>&1 \
    && dotnet format style AuthServer.sln --verify-no-changes --no-restore -v q >>"$results/format.log" 2>&1
  echo "$? $((SECONDS - started))" >"$results/format.status"
) &
projects=()
for project in tests/*.Tests/*.csproj; do
  name="$(basename "$project" .csproj)"
  projects+=("$name")
  (
    started=$SECONDS
    dotnet test "$project" -c Release --no-build -nologo \
      --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
      --results-directory "$results" >"$results/$name.log" 2>&1
    echo "$((SECONDS - started))" >"$results/$name.seconds"
  ) &
done
wait

read -r format_rc format_seconds <"$results/format.status"
cat "$results/format.log"
if [ "$format_rc" = 0 ]; then
  passed=$((passed + 1))
else
  echo "format: the code does not match .editorconfig; run: dotnet format AuthServer.sln"
  failed=$((failed + 1))
fi
timings+=("format $format_seconds s")

for name in "${projects[@]}"; do
  cat "$results/$name.log"
  timings+=("$name $(cat "$results/$name.seconds") s")
  trx="$results/$name.trx"
  if [ ! -f "$trx" ]; then
    echo "$name: no results (the test host did not finish)"
    failed=$((failed + 1))
    continue
  fi
  counters="$(grep -o '<Counters [^>]*>' "$trx")"
  count() { local n; n="$(echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*')"; echo "${n:-0}"; }
  passed=$((passed + $(count passed)))
  failed=$((failed + $(count failed) + $(count error) + $(count timeout) + $(count aborted)))
done

echo "time per project (side by side): $(IFS=,; echo "${timings[*]}" | sed 's/,/, /g'); all $((SECONDS - started_all)) s; whole test.sh $SECONDS s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
