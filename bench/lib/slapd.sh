# A directory for the bench: Debian's slapd with one person, ldapbench, whose password is
# $ldap_password, on a free loopback port (installed from Debian as root when missing).

ldap_url=""
ldap_pid=""
ldap_password="ldap-bench-password-1"
ldap_service_password="ldap-service-password-1"

start_slapd() {
  if [ ! -x /usr/sbin/slapd ]; then
    if [ "$(id -u)" = 0 ]; then
      echo "installing slapd"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slapd >/dev/null
    else
      echo "slapd is missing: apt-get install slapd" >&2
      exit 1
    fi
  fi
  local dir="$work/slapd" port
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  mkdir -p "$dir/db"
  cat >"$dir/slapd.conf" <<CONF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile $dir/slapd.pid
database mdb
maxsize 16777216
suffix "dc=bench,dc=test"
rootdn "cn=admin,dc=bench,dc=test"
rootpw root-password-1
directory $dir/db
access to attrs=userPassword by anonymous auth by * none
access to * by dn.exact="cn=authserver,dc=bench,dc=test" read by self read by * none
CONF
  cat >"$dir/entries.ldif" <<LDIF
dn: dc=bench,dc=test
objectClass: dcObject
objectClass: organization
o: Bench
dc: bench

dn: cn=authserver,dc=bench,dc=test
objectClass: person
cn: authserver
sn: service
userPassword: $ldap_service_password

dn: ou=people,dc=bench,dc=test
objectClass: organizationalUnit
ou: people

dn: uid=ldapbench,ou=people,dc=bench,dc=test
objectClass: inetOrgPerson
uid: ldapbench
cn: LDAP Bench
sn: Bench
userPassword: $ldap_password
LDIF
  /usr/sbin/slapadd -f "$dir/slapd.conf" -l "$dir/entries.ldif" >/dev/null 2>&1
  ldap_url="ldap://127.0.0.1:$port"
  # -d 0: in the foreground, so this script owns the process.
  /usr/sbin/slapd -f "$dir/slapd.conf" -h "$ldap_url/" -d 0 >"$dir/slapd.log" 2>&1 &
  ldap_pid=$!
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "slapd did not start" >&2
  exit 1
}

stop_slapd() {
  [ -n "$ldap_pid" ] || return 0
  kill "$ldap_pid" 2>/dev/null || true
  wait "$ldap_pid" 2>/dev/null || true
  ldap_pid=""
}

# The AuthServer:Ldap settings for this directory, as JSON.
ldap_settings() {
  cat <<JSON
{ "Ldap": { "Servers": ["$ldap_url"], "BindDn": "cn=authserver,dc=bench,dc=test", "BindPassword": "$ldap_service_password",
            "UserBase": "ou=people,dc=bench,dc=test" } }
JSON
}
