#!/bin/sh
# Install or upgrade Coparcours on one Debian 12 machine, from this checkout.
# Run as root: sh deploy/install.sh   (PostgreSQL and Redis may live elsewhere: DATABASE_URL,
# REDIS_URL in /etc/coparcours.env). Running it again upgrades and changes nothing else.
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)
APP=/opt/coparcours

apt-get install -y -q python3.11 python3.11-venv postgresql-client rsync libpango-1.0-0 \
    libpangoft2-1.0-0 fonts-dejavu-core
id coparcours >/dev/null 2>&1 || useradd --system --home "$APP" --shell /usr/sbin/nologin coparcours
if [ ! -f /etc/coparcours.env ]; then
    install -m 600 "$SRC/deploy/coparcours.env.example" /etc/coparcours.env
    echo "Edit /etc/coparcours.env (SECRET_KEY, hosts, DATABASE_URL…), then run this again."
    exit 1
fi
mkdir -p "$APP" /var/lib/coparcours /var/backups/coparcours
rsync -a --delete --exclude .venv --exclude var --exclude .git "$SRC/" "$APP/src/"
mkdir -p "$APP/deploy" && cp "$SRC/deploy/gunicorn.conf.py" "$APP/deploy/"
[ -x "$APP/venv/bin/python" ] || python3.11 -m venv "$APP/venv"
"$APP/venv/bin/pip" install --quiet --upgrade pip
"$APP/venv/bin/pip" install --quiet "$APP/src"
chown -R coparcours:coparcours /var/lib/coparcours /var/backups/coparcours

# The configuration is readable by root only: read it here, then run as the service user.
manage() { (set -a; . /etc/coparcours.env; set +a; runuser -u coparcours -- "$APP/venv/bin/coparcours" "$@"); }
manage migrate --no-input
manage createcachetable
manage collectstatic --no-input
manage check --deploy

cp "$SRC"/deploy/coparcours-*.service "$SRC"/deploy/coparcours-backup.timer /etc/systemd/system/
systemctl daemon-reload
systemctl enable --now coparcours-backup.timer
# A restart, not a reload: gunicorn loads the code once before forking (preload_app) and
# huey keeps the code it started with, so both must start again to run an upgrade.
systemctl enable coparcours-web coparcours-worker
systemctl restart coparcours-web coparcours-worker
echo "Coparcours runs on 127.0.0.1:8000; put deploy/nginx.conf (HTTPS) in front of it."
