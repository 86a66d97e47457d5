#!/usr/bin/env bash
# Smoke test of the container image, with compose.yaml as production runs it: build the image,
# start every service under a throwaway project and .env, then check that the web container
# turns healthy, that /sante/ answers 200 through the published port, that an administrator
# signs in, that the worker keeps running, and that the backup service writes an archive
# which restores. Everything it started is removed at the end, volumes included.
#   bash deploy/container-smoke.sh        (.ci/run runs it when a Docker daemon answers)
# Exit 0: passed; 1: failed; 2: could not run here (no compose plugin, or base images that
# cannot be pulled), said in one line.
set -euo pipefail

HOST_NAME=coparcours.test

# --- HTTP checks, as the reverse proxy asks: a public host name, X-Forwarded-Proto: https ---

http() {
    curl --silent --show-error --max-time 30 -H "Host: $HOST_NAME" -H "X-Forwarded-Proto: https" \
        "$@"
}

# The status code, a header's value, or a cookie's value in a header dump of curl's -D.
status_of() { sed -n '1s/^HTTP\/[0-9.]* \([0-9]*\).*/\1/p' "$1"; }
header_of() { sed -n "/^$2:/I{s/^[^:]*: *//;s/\r\$//;p;q}" "$1"; }
cookie_of() { sed -n "/^set-cookie: *$2=/I{s/^[^=]*=\([^;]*\).*/\1/;p;q}" "$1"; }

fail() {
    echo "FAILED: $*" >&2
    return 1
}

# /sante/ answers 200 with the database and the cache "ok".
check_health() {
    local base=$1 body
    body=$(http --fail "$base/sante/") || fail "/sante/ did not answer 200"
    echo "/sante/: $body"
    [[ $body == *'"database": "ok"'* && $body == *'"cache": "ok"'* ]] ||
        fail "/sante/ does not report the database and the cache ok"
}

# The login form, posted with its CSRF token, opens a session that reaches the home page
# (or its second-factor step), where an anonymous visitor is sent to the login page.
check_login() {
    local base=$1 email=$2 password=$3 dumps csrf token session location status
    dumps=$(mktemp -d -p "${WORK:-${TMPDIR:-/tmp}}")
    http -D "$dumps/form.h" -o "$dumps/form.html" "$base/compte/connexion/"
    [[ $(status_of "$dumps/form.h") == 200 ]] || fail "the login page did not answer 200"
    csrf=$(cookie_of "$dumps/form.h" csrftoken)
    token=$(sed -n '/name="csrfmiddlewaretoken"/{s/.*value="\([^"]*\)".*/\1/;p;q}' \
        "$dumps/form.html")
    [[ -n $csrf && -n $token ]] || fail "no CSRF cookie or field on the login page"
    http -D "$dumps/login.h" -o /dev/null -H "Origin: https://$HOST_NAME" \
        -H "Cookie: csrftoken=$csrf" --data-urlencode "csrfmiddlewaretoken=$token" \
        --data-urlencode "username=$email" --data-urlencode "password=$password" \
        "$base/compte/connexion/"
    status=$(status_of "$dumps/login.h")
    location=$(header_of "$dumps/login.h" location)
    session=$(cookie_of "$dumps/login.h" sessionid)
    echo "login: $status to ${location:-nowhere}"
    [[ $status == 302 && -n $session && $location != */compte/connexion/* ]] ||
        fail "the login did not redirect with a session"
    http -D "$dumps/anonymous.h" -o /dev/null "$base/"
    [[ $(header_of "$dumps/anonymous.h" location) == /compte/connexion/* ]] ||
        fail "the home page did not send an anonymous visitor to the login page"
    http -D "$dumps/home.h" -o /dev/null -H "Cookie: sessionid=$session" "$base/"
    status=$(status_of "$dumps/home.h")
    location=$(header_of "$dumps/home.h" location)
    echo "home page with the session: $status${location:+ to $location}"
    [[ $status == 200 || ($status == 302 && $location != */compte/connexion/*) ]] ||
        fail "the session did not open the home page"
    rm -rf "$dumps"
}

# --- The containers ---------------------------------------------------------------------

PROJECT="coparcours-smoke-$$"
WORK=""
SKIPPED=0
STARTED=$(date +%s)

compose() { docker compose --project-name "$PROJECT" --env-file "$WORK/env" "$@"; }
step() { printf -- '--- %s (%ss)\n' "$*" "$(($(date +%s) - STARTED))"; }

# Show what failed, then remove the project (containers, network, volumes) and its image.
finish() {
    local status=$?
    if [[ $SKIPPED == 1 ]]; then
        status=2
    elif [[ $status != 0 ]]; then
        status=1
        compose ps --all || true
        compose logs --no-color --tail 80 || true
    fi
    if [[ -n $WORK ]]; then
        compose down --volumes --remove-orphans >/dev/null 2>&1 || true
        docker image rm "${COPARCOURS_IMAGE:-}" >/dev/null 2>&1 || true
        rm -rf "$WORK"
    fi
    exit "$status"
}

skip() {
    echo "Container image: not built — $*"
    SKIPPED=1
    exit 2
}

main() {
    cd "$(dirname "$0")/.."
    trap finish EXIT
    docker compose version >/dev/null 2>&1 ||
        skip "the Docker daemon answers but the compose plugin is missing" \
            "(docker compose version failed)"
    WORK=$(mktemp -d)
    local port secret db_password email="smoke@$HOST_NAME" password base archive
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    secret=$(python3 -c 'import secrets; print(secrets.token_urlsafe(60))')
    db_password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
    password=$(python3 -c 'import secrets; print(secrets.token_urlsafe(18))')
    cat >"$WORK/env" <<EOF
COPARCOURS_ENV=production
SECRET_KEY=$secret
ALLOWED_HOSTS=$HOST_NAME
CSRF_TRUSTED_ORIGINS=https://$HOST_NAME
SITE_URL=https://$HOST_NAME
POSTGRES_PASSWORD=$db_password
DATABASE_URL=postgres://coparcours:$db_password@postgres:5432/coparcours
REDIS_URL=redis://redis:6379/0
EMAIL_URL=console://
SMS_URL=console://
TRUSTED_PROXY_COUNT=1
GUNICORN_WORKERS=2
EOF
    # Read by compose.yaml: this .env, the port published on 127.0.0.1, the image's tag.
    export COPARCOURS_ENV_FILE="$WORK/env" COPARCOURS_HTTP_PORT="$port"
    export COPARCOURS_IMAGE="coparcours:smoke-$$"

    step "Base images"
    base=$(sed -n 's/^ARG PYTHON_IMAGE=//p' Dockerfile)
    if ! { docker pull --quiet "$base" && compose pull --quiet postgres redis; } \
        >"$WORK/pull.log" 2>&1; then
        tail -n 5 "$WORK/pull.log"
        skip "its base images cannot be pulled on this machine ($base, postgres, redis)"
    fi

    step "Build $COPARCOURS_IMAGE"
    compose build migrate >"$WORK/build.log" 2>&1 || {
        tail -n 60 "$WORK/build.log"
        fail "the image did not build"
    }
    docker image inspect --format 'image size: {{.Size}} bytes' "$COPARCOURS_IMAGE"

    step "Start PostgreSQL, Redis, the migrations, the web process, the worker and the backup"
    compose up --detach web worker backup

    step "Wait for the web container's health check"
    local web state=starting
    web=$(compose ps --quiet web)
    for _ in $(seq 60); do
        state=$(docker inspect --format '{{.State.Health.Status}}' "$web")
        [[ $state == starting ]] || break
        sleep 3
    done
    echo "web: $state"
    [[ $state == healthy ]] || fail "the web container is $state"

    step "GET /sante/ on 127.0.0.1:$port"
    check_health "http://127.0.0.1:$port"

    step "Create an administrator and sign in"
    compose exec -T -e DJANGO_SUPERUSER_EMAIL="$email" \
        -e DJANGO_SUPERUSER_PASSWORD="$password" web coparcours createsuperuser --no-input
    check_login "http://127.0.0.1:$port" "$email" "$password"

    step "The worker runs"
    state=$(docker inspect --format '{{.State.Status}}, restarted {{.RestartCount}} times' \
        "$(compose ps --quiet worker)")
    echo "worker: $state"
    [[ $state == "running, restarted 0 times" ]] || fail "the worker is $state"

    step "The backup service's first archive, restored with the other services stopped"
    archive=""
    for _ in $(seq 40); do
        archive=$(compose exec -T backup sh -c 'ls /var/backups/coparcours/coparcours-*.tar' \
            2>/dev/null) || true
        [[ -z $archive ]] || break
        sleep 3
    done
    echo "archive: ${archive:-none}"
    [[ -n $archive ]] || fail "the backup service wrote no archive"
    compose stop web worker backup
    compose run --rm --no-deps -T backup coparcours restore "$archive" --yes

    step "Passed"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
    main "$@"
fi
