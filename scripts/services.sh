#!/bin/sh
# Services the backend tests (tests/backends) need, started and stopped around `make test`.
#
#   sh scripts/services.sh start   # Java for Spark (installed if missing); PostgreSQL started
#   sh scripts/services.sh stop    # PostgreSQL stopped, its data directory deleted
#   sh scripts/services.sh env     # the libpq variables the tests use, for `eval`
#
# PostgreSQL runs from Debian's `postgresql` package (installed if missing) on a
# throw-away data directory, listening on 127.0.0.1 only, port $JSNA_PG_PORT
# (default 55432), with trust authentication for the local `postgres` user: a
# test database, never a place for real records. As root the server runs as the
# `postgres` system user (PostgreSQL refuses to run as root).
set -eu

PORT="${JSNA_PG_PORT:-55432}"
DATA="${JSNA_PG_DIR:-${TMPDIR:-/tmp}/jsna-postgres-$PORT}"
DATABASE="jsna_test"

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
else
    SUDO="sudo"
fi

apt_install() {
    echo "services: installing Debian packages: $*"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}

pg_bin() {
    # The newest installed server's programs (Debian keeps them out of PATH).
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

as_server_user() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

start() {
    if ! command -v java >/dev/null 2>&1; then
        apt_install openjdk-17-jre-headless
    fi
    if [ -z "$(pg_bin)" ]; then
        apt_install postgresql
    fi
    BIN="$(pg_bin)"
    if [ -f "$DATA/postmaster.pid" ] && as_server_user "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
        echo "services: PostgreSQL already running on 127.0.0.1:$PORT"
        return 0
    fi
    rm -rf "$DATA"
    mkdir -p "$DATA"
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres "$DATA"
    fi
    chmod 700 "$DATA"
    as_server_user "$BIN/initdb" -D "$DATA" -U postgres -A trust --no-sync -E UTF8 \
        --locale=C >/dev/null
    as_server_user "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DATA -c fsync=off -c full_page_writes=off" \
        start >/dev/null
    as_server_user "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres "$DATABASE"
    echo "services: PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT" \
        "(database $DATABASE); $(java -version 2>&1 | head -n 1)"
}

stop() {
    BIN="$(pg_bin)"
    if [ -n "$BIN" ] && [ -f "$DATA/postmaster.pid" ]; then
        as_server_user "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null || true
    fi
    rm -rf "$DATA"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    env) echo "PGHOST=127.0.0.1 PGPORT=$PORT PGUSER=postgres PGDATABASE=$DATABASE" ;;
    *) echo "usage: sh scripts/services.sh start|stop|env" >&2; exit 2 ;;
esac
