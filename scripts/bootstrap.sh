#!/usr/bin/env bash
# shellcheck shell=bash
#
# Shared helpers for scripts/run and scripts/test. Source it, do not run it:
#
#     source "$ROOT/scripts/bootstrap.sh"
#
# Functions (each returns non-zero on failure instead of exiting, so the
# caller decides what is fatal):
#   ensure_uv                  install uv with pip if it is not on PATH
#   ensure_python_deps [--dev|--no-dev]
#                              uv sync --frozen: runtime deps only (default), or with the dev group
#   ensure_debian_packages PKG...
#                              apt-get install whatever is missing (root or sudo -n),
#                              otherwise print the command to run and return 1
#   start_postgres             throw-away PostgreSQL cluster on 127.0.0.1, exports
#                              DATABASE_URL, stopped and deleted on EXIT
#
# Every command inside the functions is checked explicitly: `set -e` does not
# apply inside a function that is called as `f || ...` or `if f; then`.

set -euo pipefail

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    echo "bootstrap.sh: source this file, do not run it / 실행하지 말고 source 하세요" >&2
    exit 2
fi

GYEOLSAN_ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd -P)"
export GYEOLSAN_ROOT

# Debian packages the main job needs (Korean fonts for PDF/charts, WeasyPrint's libraries)
# and the extra ones the test suite needs.
MAIN_PKGS="fonts-nanum fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"
TEST_PKGS="$MAIN_PKGS poppler-utils chromium libreoffice-calc libreoffice-writer postgresql"
export MAIN_PKGS TEST_PKGS

# Never let uv download an interpreter: use the system python3 (3.11 on Debian 12).
export UV_PYTHON_DOWNLOADS=never

# ---------------------------------------------------------------------------
# messages: "==> 한국어 / English"

say() {
    printf '==> %s / %s\n' "$1" "$2"
}

warn() {
    printf '==> 경고: %s / warning: %s\n' "$1" "$2" >&2
}

die() {
    printf '==> 오류: %s / error: %s\n' "$1" "$2" >&2
    exit 1
}

# ---------------------------------------------------------------------------
# uv

_path_prepend() {
    case ":$PATH:" in
        *":$1:"*) ;;
        *) PATH="$1:$PATH" ;;
    esac
}

ensure_uv() {
    if command -v uv >/dev/null 2>&1; then
        say "uv 확인: $(uv --version 2>/dev/null || echo '?')" "uv found: $(command -v uv)"
        return 0
    fi
    say "uv 설치 (pip)" "installing uv with pip"
    if ! command -v python3 >/dev/null 2>&1; then
        printf '==> python3 없음 / python3 not found: sudo apt-get install python3 python3-pip\n' >&2
        return 1
    fi

    local -a pip=()
    if python3 -m pip --version >/dev/null 2>&1; then
        pip=(python3 -m pip)
    elif command -v pip3 >/dev/null 2>&1; then
        pip=(pip3)
    elif command -v pip >/dev/null 2>&1; then
        pip=(pip)
    else
        say "pip 없음: python3-pip 설치" "pip missing: installing python3-pip"
        ensure_debian_packages python3-pip || return 1
        pip=(python3 -m pip)
    fi

    # --user, unless python3 is a virtualenv (pip refuses --user there).
    local -a user=(--user)
    if python3 -c 'import sys; sys.exit(0 if sys.prefix != sys.base_prefix else 1)' 2>/dev/null; then
        user=()
    fi

    local out
    if ! out="$("${pip[@]}" install "${user[@]}" --quiet uv 2>&1)"; then
        if grep -q 'externally-managed-environment' <<<"$out"; then
            say "PEP 668 (externally-managed-environment): --break-system-packages 로 재시도" \
                "PEP 668 (externally-managed-environment): retrying with --break-system-packages"
            "${pip[@]}" install "${user[@]}" --quiet --break-system-packages uv || return 1
        else
            printf '%s\n' "$out" >&2
            return 1
        fi
    fi

    local user_base
    user_base="$(python3 -m site --user-base 2>/dev/null || true)"
    if [[ -n "$user_base" ]]; then
        _path_prepend "$user_base/bin"
    fi
    _path_prepend "$HOME/.local/bin"
    export PATH
    hash -r

    if ! command -v uv >/dev/null 2>&1; then
        printf '==> uv 설치 후에도 PATH 에 없음 / uv installed but not on PATH (%s)\n' "$PATH" >&2
        return 1
    fi
    say "uv 설치됨: $(uv --version)" "uv installed: $(command -v uv)"
}

# ---------------------------------------------------------------------------
# Python dependencies from uv.lock

ensure_python_deps() {
    # --compile-bytecode: write the .pyc files at install time. Without them every run compiles
    # the libraries again (uv does not precompile by default, and PYTHONDONTWRITEBYTECODE=1,
    # common in containers and CI, stops Python from caching them): ~3 s more per report.
    local -a args=(sync --frozen --compile-bytecode)
    if [[ "${1:-}" == "--dev" ]]; then
        say "파이썬 의존성 설치 (개발용 포함, uv.lock)" "installing Python dependencies incl. dev group (uv.lock)"
    else
        # --inexact: do not uninstall the dev tools from a shared .venv when the
        # main job runs after the tests; a fresh clone still gets runtime deps only.
        args+=(--no-dev --inexact)
        say "파이썬 의존성 설치 (실행용, uv.lock)" "installing runtime Python dependencies (uv.lock)"
    fi
    (cd "$GYEOLSAN_ROOT" && uv "${args[@]}") || return 1
    # our own package is installed editable: compile it too (quietly, a fraction of a second)
    (cd "$GYEOLSAN_ROOT" && uv run --frozen --no-sync python -m compileall -q -j 0 src >/dev/null) || return 1
}

# ---------------------------------------------------------------------------
# Debian packages

_GYEOLSAN_APT_UPDATED=0

_wait_for_dpkg_lock() {
    command -v fuser >/dev/null 2>&1 || return 0
    local waited=0 lock
    for lock in /var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/lib/apt/lists/lock \
        /var/cache/apt/archives/lock; do
        while fuser "$lock" >/dev/null 2>&1; do
            if ((waited == 0)); then
                say "다른 apt/dpkg 작업이 끝나기를 기다리는 중" "waiting for another apt/dpkg run to finish"
            fi
            sleep 5
            waited=$((waited + 5))
            if ((waited >= 1800)); then
                warn "dpkg 잠금 대기 시간 초과" "gave up waiting for the dpkg lock"
                return 1
            fi
        done
    done
}

ensure_debian_packages() {
    local -a missing=()
    local pkg
    for pkg in "$@"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    if ((${#missing[@]} == 0)); then
        say "Debian 패키지 모두 설치되어 있음" "all Debian packages present: $*"
        return 0
    fi
    say "Debian 패키지 설치: ${missing[*]}" "installing Debian packages: ${missing[*]}"

    local -a sudo=()
    if [[ "$(id -u)" -eq 0 ]]; then
        sudo=()
    elif command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
        sudo=(sudo -n)
    else
        printf '==> 관리자 권한이 없어 설치할 수 없습니다. 다음 명령을 실행하세요 / ' >&2
        printf 'cannot install without root; please run:\n' >&2
        printf '    sudo apt-get update && sudo apt-get install -y --no-install-recommends %s\n' \
            "${missing[*]}" >&2
        return 1
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        printf '==> apt-get 없음 (Debian/Ubuntu 아님?) / apt-get not found; install: %s\n' \
            "${missing[*]}" >&2
        return 1
    fi

    local -a apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600)
    if ((_GYEOLSAN_APT_UPDATED == 0)); then
        say "패키지 목록 갱신 (apt-get update)" "updating package lists (apt-get update)"
        _wait_for_dpkg_lock || return 1
        "${apt[@]}" update -qq || return 1
        _GYEOLSAN_APT_UPDATED=1
    fi
    _wait_for_dpkg_lock || return 1
    "${apt[@]}" install -y -qq --no-install-recommends "${missing[@]}" || return 1
    say "Debian 패키지 설치 완료" "Debian packages installed: ${missing[*]}"
}

# ---------------------------------------------------------------------------
# EXIT trap that chains with whatever EXIT trap is already set

add_exit_trap() {
    local cmd="$1" existing
    existing="$(trap -p EXIT)"
    if [[ -n "$existing" ]]; then
        existing="${existing#"trap -- '"}"
        existing="${existing%"' EXIT"}"
        existing="${existing//"'\\''"/"'"}"
        # shellcheck disable=SC2064  # expand now on purpose
        trap -- "$cmd; $existing" EXIT
    else
        # shellcheck disable=SC2064
        trap -- "$cmd" EXIT
    fi
    # bash skips the EXIT trap when killed by a signal it does not trap:
    # turn INT/TERM/HUP into an ordinary exit (unless the caller trapped them).
    [[ -n "$(trap -p INT)" ]] || trap 'exit 130' INT
    [[ -n "$(trap -p TERM)" ]] || trap 'exit 143' TERM
    [[ -n "$(trap -p HUP)" ]] || trap 'exit 129' HUP
}

# ---------------------------------------------------------------------------
# PostgreSQL: a throw-away cluster (see /work/shared/stack.md; initdb refuses root)

GYEOLSAN_PG_DIR=""
GYEOLSAN_PG_BIN=""

_pg_bindir() {
    local dir
    dir="$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -type d -name bin 2>/dev/null | sort -V | tail -n 1)"
    if [[ -n "$dir" && -x "$dir/initdb" ]]; then
        printf '%s\n' "$dir"
        return 0
    fi
    if command -v initdb >/dev/null 2>&1; then
        dirname "$(readlink -f "$(command -v initdb)")"
        return 0
    fi
    return 1
}

# Run a PostgreSQL program as the cluster owner: `postgres` when we are root,
# ourselves otherwise. Runs from the cluster folder so `postgres` never has to
# read the caller's working directory.
_as_pg() {
    if [[ "$(id -u)" -eq 0 ]]; then
        if command -v runuser >/dev/null 2>&1; then
            (cd "$GYEOLSAN_PG_DIR" && runuser -u postgres -- "$@")
        else
            local cmd
            cmd="$(printf '%q ' "$@")"
            (cd "$GYEOLSAN_PG_DIR" && su -s /bin/bash postgres -c "$cmd")
        fi
    else
        (cd "$GYEOLSAN_PG_DIR" && "$@")
    fi
}

_port_is_free() {
    python3 - "$1" <<'PY' 2>/dev/null
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
finally:
    s.close()
PY
}

stop_postgres() {
    local dir="$GYEOLSAN_PG_DIR"
    [[ -n "$dir" && -d "$dir" ]] || return 0
    if [[ -f "$dir/data/postmaster.pid" ]]; then
        say "PostgreSQL 중지" "stopping PostgreSQL"
        _as_pg "$GYEOLSAN_PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf -- "$dir" || true
    GYEOLSAN_PG_DIR=""
}

start_postgres() {
    local bindir
    if ! bindir="$(_pg_bindir)"; then
        printf '==> PostgreSQL 없음 / PostgreSQL not found: sudo apt-get install postgresql\n' >&2
        return 1
    fi
    GYEOLSAN_PG_BIN="$bindir"

    local base_dir="${TMPDIR:-/tmp}"
    if [[ "$(id -u)" -eq 0 ]]; then
        # the postgres user must be able to reach the folder
        base_dir=/tmp
        if ! getent passwd postgres >/dev/null; then
            printf '==> 사용자 postgres 없음 / no postgres user (install the postgresql package)\n' >&2
            return 1
        fi
    fi
    GYEOLSAN_PG_DIR="$(mktemp -d "$base_dir/gyeolsan-pg.XXXXXX")" || return 1
    add_exit_trap stop_postgres
    local dir="$GYEOLSAN_PG_DIR"
    if [[ "$(id -u)" -eq 0 ]]; then
        chown postgres: "$dir" || return 1
    fi

    say "PostgreSQL 클러스터 생성 ($(basename "$(dirname "$bindir")"), $dir)" \
        "creating PostgreSQL cluster ($(basename "$(dirname "$bindir")"), $dir)"
    if ! _as_pg "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
        >"$dir/initdb.log" 2>&1; then
        cat "$dir/initdb.log" >&2
        return 1
    fi

    local first="${GYEOLSAN_PG_PORT:-55432}" port started=0
    for ((port = first; port <= first + 20; port++)); do
        _port_is_free "$port" || continue
        if _as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/pg.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $port -k '$dir' -c fsync=off" start >/dev/null 2>&1; then
            started=1
            break
        fi
        # lost a race for the port with someone else: try the next one
        if grep -q 'Address already in use' "$dir/pg.log" 2>/dev/null; then
            continue
        fi
        cat "$dir/pg.log" >&2 || true
        return 1
    done
    if ((started == 0)); then
        printf '==> 빈 포트 없음 / no free port in %s-%s\n' "$first" "$((first + 20))" >&2
        return 1
    fi

    if ! "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres gyeolsan >/dev/null 2>&1; then
        warn "gyeolsan 데이터베이스 생성 실패" "could not create database gyeolsan"
    fi
    DATABASE_URL="postgres://postgres@127.0.0.1:$port/gyeolsan"
    export DATABASE_URL
    say "PostgreSQL 실행 중: $DATABASE_URL" "PostgreSQL running: $DATABASE_URL"
}
