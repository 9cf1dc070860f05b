#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests, in a directory of its own:
#
#   url=$(scripts/postgres.sh start DIR)   # initdb into DIR, start, print a SQLAlchemy URL of its database
#   scripts/postgres.sh stop DIR           # stop the server and remove DIR
#
# The server listens only on a unix socket inside DIR (no TCP port, so nothing can collide with another
# server on the machine), trusts local connections and runs without fsync: it is for tests, never for data.
# PostgreSQL refuses to run as root, so under root (as in CI) the server runs as Debian's `postgres` user.
set -euo pipefail

ROLE=ipmetrics
DATABASE=ipmetrics

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
action=$1
dir=$(realpath -m "$2")

bindir() {
    # Debian 12 ships PostgreSQL 15; take the newest installed if there is another.
    local found
    found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -x "$found/pg_ctl" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
    echo "$found"
}

as_server() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "$action" in
start)
    bin=$(bindir)
    if [ -e "$dir/data" ]; then echo "$dir already holds a server" >&2; exit 1; fi
    mkdir -p "$dir"
    [ "$(id -u)" -ne 0 ] || chown postgres: "$dir"
    # A unix socket path is limited to about 100 bytes.
    [ "${#dir}" -le 80 ] || { echo "$dir is too long a path for the server's socket" >&2; exit 1; }
    as_server "$bin/initdb" --pgdata="$dir/data" --username="$ROLE" --auth=trust --encoding=UTF8 \
        --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    # Each test store gets its own database and keeps a few pooled connections until it is dropped.
    as_server "$bin/pg_ctl" --pgdata="$dir/data" --log="$dir/server.log" --wait --timeout=60 \
        -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c port=5432 -c max_connections=300 \
            -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null \
        || { cat "$dir/server.log" >&2; exit 1; }
    as_server "$bin/psql" --quiet --no-psqlrc --host="$dir" --username="$ROLE" --dbname=postgres \
        -c "CREATE DATABASE $DATABASE" >/dev/null
    echo "postgresql+psycopg://$ROLE@/$DATABASE?host=$dir"
    ;;
stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_server "$(bindir)/pg_ctl" --pgdata="$dir/data" --mode=immediate --wait stop >/dev/null || true
    fi
    rm -rf "$dir"
    ;;
*)
    usage
    ;;
esac
