#!/bin/sh
# Makes what deploy/compose.yaml needs and the repository does not hold, in DIR (default: this
# directory): the proxy's self-signed TLS certificate for localhost (tls/proxy.crt, and
# tls/proxy.pem with its key for HAProxy), and .env with the key-encryption key every replica
# shares, the database and first administrator's passwords and the registry's secret.
# Whatever exists already is kept. The interop test runs this script too.
set -eu
dir=${1:-$(dirname "$0")}
# tls/ is the owner's alone; proxy.pem in it must be readable by HAProxy's user in its container
# (uid 99), which sees only the bind-mounted file.
umask 077
mkdir -p "$dir/tls"

if [ ! -f "$dir/tls/proxy.pem" ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 825 \
    -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 \
    -keyout "$dir/tls/proxy.key" -out "$dir/tls/proxy.crt" 2>/dev/null
  cat "$dir/tls/proxy.crt" "$dir/tls/proxy.key" > "$dir/tls/proxy.pem"
  rm "$dir/tls/proxy.key"
  chmod 644 "$dir/tls/proxy.crt" "$dir/tls/proxy.pem"
fi

if [ ! -f "$dir/.env" ]; then
  {
    # base64 of 32 random bytes. Lose it and the signing keys in the database cannot be
    # decrypted; keep a copy apart from the database's backups.
    echo "AUTHSERVER_KEY_ENCRYPTION_KEY=$(openssl rand -base64 32)"
    echo "POSTGRES_PASSWORD=$(openssl rand -hex 24)"
    echo "AUTHSERVER_ADMIN_PASSWORD=$(openssl rand -hex 12)"
    echo "REGISTRY_HTTP_SECRET=$(openssl rand -hex 32)"
  } > "$dir/.env"
fi
echo "ready in $dir: tls/proxy.crt (trust it in clients), .env (the first admin's password: AUTHSERVER_ADMIN_PASSWORD)"
