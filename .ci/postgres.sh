#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on 127.0.0.1 for the test suite (Debian's postgresql).
#
#   .ci/postgres.sh install   apt-get install postgresql (as root or through sudo)
#   .ci/postgres.sh start     initdb + start on 127.0.0.1:$PGPORT, role and database returnwatch
#   .ci/postgres.sh url       the SQLAlchemy URL for RETURNWATCH_TEST_DATABASE_URL
#   .ci/postgres.sh stop      stop the cluster and delete its files
#
# The cluster trusts local connections and runs without fsync: for tests only.
set -euo pipefail
PGPORT=${PGPORT:-54329}
PGDIR=${PGDIR:-/tmp/returnwatch-pg-$PGPORT}

as_owner() {
    # initdb refuses to run as root: run the server as the postgres user then.
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_bin() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$dir" ] || { echo "postgresql is not installed: run $0 install" >&2; exit 1; }
    echo "$dir"
}

case "${1:-}" in
install)
    if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
        SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
        $SUDO apt-get update
        $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql
    fi
    ;;
start)
    BIN=$(pg_bin)
    "$0" stop >/dev/null 2>&1 || true
    mkdir -p "$PGDIR"
    [ "$(id -u)" = 0 ] && chown postgres: "$PGDIR"
    as_owner "$BIN/initdb" -D "$PGDIR/data" -A trust -U postgres >/dev/null
    as_owner "$BIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w start -o \
        "-p $PGPORT -k $PGDIR -c listen_addresses=127.0.0.1 -c fsync=off \
         -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" >/dev/null
    "$BIN/psql" -q -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres \
        -c "CREATE ROLE returnwatch LOGIN CREATEDB" -c "CREATE DATABASE returnwatch OWNER returnwatch"
    echo "postgresql on 127.0.0.1:$PGPORT ($PGDIR)" >&2
    ;;
url)
    echo "postgresql+psycopg://returnwatch@127.0.0.1:$PGPORT/returnwatch"
    ;;
stop)
    if [ -d "$PGDIR/data" ]; then
        as_owner "$(pg_bin)/pg_ctl" -D "$PGDIR/data" -m fast -w stop >/dev/null || true
    fi
    rm -rf "$PGDIR"
    ;;
*)
    echo "usage: $0 install|start|url|stop" >&2
    exit 2
    ;;
esac
