#!/bin/sh
# Makes what deploy/compose.yaml needs and the repository does not hold, in DIR (default: this
# directory): the proxy's self-signed TLS certificate for localhost (tls/proxy.crt, and
# tls/proxy.pem with its key for HAProxy), the key-encryption key every replica shares
# (secrets/kek), and .env with the database and admin passwords and the registry's secret.
# Whatever exists already is kept. The interop test runs this script too.
set -eu
dir=${1:-$(dirname "$0")}
# The directories are the owner's alone; the files in them must be readable by the containers'
# users (AuthServer runs as uid 1654, HAProxy as 99), which see only the bind-mounted file.
umask 077
mkdir -p "$dir/tls" "$dir/secrets"

if [ ! -f "$dir/tls/proxy.pem" ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 825 \
    -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 \
    -keyout "$dir/tls/proxy.key" -out "$dir/tls/proxy.crt" 2>/dev/null
  cat "$dir/tls/proxy.crt" "$dir/tls/proxy.key" > "$dir/tls/proxy.pem"
  rm "$dir/tls/proxy.key"
  chmod 644 "$dir/tls/proxy.crt" "$dir/tls/proxy.pem"
fi

# base64 of 32 random bytes: AuthServer:Signing:KeyEncryptionKeyFile. Lose it and the signing
# keys in the database cannot be decrypted; keep it apart from database backups.
if [ ! -f "$dir/secrets/kek" ]; then
  openssl rand -base64 32 > "$dir/secrets/kek"
  chmod 644 "$dir/secrets/kek"
fi

if [ ! -f "$dir/.env" ]; then
  {
    echo "POSTGRES_PASSWORD=$(openssl rand -hex 24)"
    echo "AUTHSERVER_ADMIN_PASSWORD=$(openssl rand -hex 12)"
    echo "REGISTRY_HTTP_SECRET=$(openssl rand -hex 32)"
  } > "$dir/.env"
fi
echo "ready in $dir: tls/proxy.crt (trust it in clients), secrets/kek, .env (admin password: AUTHSERVER_ADMIN_PASSWORD)"
