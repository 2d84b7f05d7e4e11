#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL holding the Moodle 5.0.6 test database.
#
#   Tests/Support/with-postgres.sh swift test --filter MoodleSourceTests
#
# Installs PostgreSQL with apt-get when its binaries are missing (needs root), creates a cluster
# in a temporary directory owned by an unprivileged user, on a free loopback port, loads
# Tests/Fixtures/moodle/schema.sql.gz and data.sql.gz into database `moodle`, exports
# COURSEMESH_TEST_PG_DSN (plus COURSEMESH_TEST_PG_PASSWORD_DSN for a password-protected role)
# and runs the command. The cluster is stopped and deleted on exit, whatever happens.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
fixtures="$here/../Fixtures/moodle"

pgbin=""
for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && pgbin="$d"; done
if [ -z "$pgbin" ]; then
  echo "with-postgres: installing postgresql" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && pgbin="$d"; done
fi

owner="postgres"
id "$owner" >/dev/null 2>&1 || owner="nobody"
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u "$owner" -- "$@"; else "$@"; fi; }

dir="$(mktemp -d /tmp/coursemesh-pg.XXXXXX)"
chmod 755 "$dir"
[ "$(id -u)" = 0 ] && chown "$owner" "$dir"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"

cleanup() {
  as_owner "$pgbin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT INT TERM

as_owner "$pgbin/initdb" -D "$dir/data" -U postgres -A trust --locale=C -E UTF8 >/dev/null
# Loopback TCP with trust for `postgres`, scram passwords for the reader role; socket in $dir.
cat > "$dir/data/pg_hba.conf" <<HBA
local all all trust
host all reader 127.0.0.1/32 scram-sha-256
host all all 127.0.0.1/32 trust
HBA
as_owner "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c fsync=off -c lc_messages=C" start >/dev/null

psql_() { "$pgbin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres "$@"; }
psql_ -d postgres -c "CREATE DATABASE moodle" -c "CREATE ROLE reader LOGIN PASSWORD 'secret'"
gunzip -c "$fixtures/schema.sql.gz" | psql_ -d moodle >/dev/null
gunzip -c "$fixtures/data.sql.gz" | psql_ -d moodle >/dev/null
psql_ -d moodle -c "GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader" -c "ANALYZE" >/dev/null

export COURSEMESH_TEST_PG_DSN="postgres://postgres@127.0.0.1:$port/moodle?prefix=mdl_&sslmode=disable"
export COURSEMESH_TEST_PG_PASSWORD_DSN="postgres://reader:secret@127.0.0.1:$port/moodle?prefix=mdl_&sslmode=disable"
export COURSEMESH_TEST_PG_SOCKET_DIR="$dir"
echo "with-postgres: PostgreSQL on 127.0.0.1:$port, database moodle loaded" >&2
status=0
"$@" || status=$?
exit $status
