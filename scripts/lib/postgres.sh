# shellcheck shell=bash
# A throwaway PostgreSQL for the run-history store tests: 127.0.0.1:${PERFSCOPE_PG_PORT:-55432},
# data under .build/pg, password authentication (SCRAM) for user perfscope, database perfscope_test.
#
#   source scripts/lib/postgres.sh
#   pg_start        # installs postgresql when missing, starts, exports PERFSCOPE_TEST_POSTGRES_URL
#   pg_stop         # stops the server pg_start started (leaves one it found running alone)
#
# Run directly: scripts/lib/postgres.sh start|stop|status|url

pg_root=${pg_root:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
pg_port=${PERFSCOPE_PG_PORT:-55432}
pg_data="$pg_root/.build/pg/data"
pg_log="$pg_root/.build/pg/server.log"
pg_password=perfscope-test
pg_started=0

pg_log_line() { printf '[postgres] %s\n' "$*"; }

# The newest installed server binaries (Debian keeps them out of PATH).
pg_bin() {
  local d best=""
  if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v pg_ctl)")"; return
  fi
  for d in /usr/lib/postgresql/*/bin; do [[ -x $d/pg_ctl && -x $d/initdb ]] && best=$d; done
  [[ -n $best ]] && echo "$best"
}

# PostgreSQL refuses to run as root: run its tools as the postgres user then.
pg_as() {
  if ((EUID == 0)); then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_install() {
  [[ -n $(pg_bin) ]] && return 0
  pg_log_line "installing postgresql"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  # Debian's package starts its own cluster on 5432; ours is separate and needs nothing from it.
}

pg_url() { echo "postgres://perfscope:$pg_password@127.0.0.1:$pg_port/perfscope_test?sslmode=disable"; }

pg_running() { [[ -n $(pg_bin) ]] && pg_as "$(pg_bin)/pg_ctl" -D "$pg_data" status >/dev/null 2>&1; }

pg_start() {
  pg_install || return 1
  local bin
  bin=$(pg_bin) || return 1
  mkdir -p "$pg_root/.build/pg"
  if ((EUID == 0)); then chown postgres: "$pg_root/.build/pg"; fi
  if [[ ! -f $pg_data/PG_VERSION ]]; then
    rm -rf "$pg_data"
    local pwfile="$pg_root/.build/pg/pwfile"
    echo "$pg_password" >"$pwfile"
    if ((EUID == 0)); then chown postgres: "$pwfile"; fi
    pg_as "$bin/initdb" -D "$pg_data" -U perfscope --pwfile="$pwfile" -E UTF8 --locale=C.UTF-8 \
      --auth-local=trust --auth-host=scram-sha-256 >"$pg_root/.build/pg/initdb.log" 2>&1 \
      || { pg_log_line "initdb failed: see $pg_root/.build/pg/initdb.log"; return 1; }
    rm -f "$pwfile"
  fi
  if pg_running; then
    pg_log_line "already running on 127.0.0.1:$pg_port (left running)"
  else
    pg_as "$bin/pg_ctl" -D "$pg_data" -l "$pg_log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $pg_port -k /tmp -c fsync=on -c max_connections=200" start >/dev/null \
      || { pg_log_line "start failed: see $pg_log"; return 1; }
    pg_started=1
    pg_log_line "started on 127.0.0.1:$pg_port (data $pg_data)"
  fi
  if ! pg_as "$bin/psql" -h /tmp -p "$pg_port" -U perfscope -d postgres -Atqc \
      "SELECT 1 FROM pg_database WHERE datname = 'perfscope_test'" | grep -q 1; then
    pg_as "$bin/psql" -h /tmp -p "$pg_port" -U perfscope -d postgres -qc "CREATE DATABASE perfscope_test" >/dev/null || return 1
  fi
  PERFSCOPE_TEST_POSTGRES_URL=$(pg_url)
  export PERFSCOPE_TEST_POSTGRES_URL
}

pg_stop() {
  ((pg_started)) || return 0
  pg_as "$(pg_bin)/pg_ctl" -D "$pg_data" -m fast -w stop >/dev/null 2>&1 && pg_log_line "stopped"
  pg_started=0
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  set -euo pipefail
  case ${1:-} in
    start) pg_start; pg_url ;;
    stop) pg_started=1; pg_stop ;;
    status) if pg_running; then echo "running on 127.0.0.1:$pg_port"; else echo "stopped"; exit 1; fi ;;
    url) pg_url ;;
    *) echo "usage: $0 start|stop|status|url" >&2; exit 2 ;;
  esac
fi
