#!/bin/sh
# The nightly backup in containers (compose.yaml's "backup" service), as
# coparcours-backup.timer and .service do on Debian: `coparcours backup` at 02:30, Paris time,
# then the archives older than 30 days are deleted (only after a backup that succeeded).
# As the timer's Persistent=true, a night missed while the service was down is caught up
# when it starts. BACKUP_DIR, BACKUP_TIME (HH:MM) and BACKUP_KEEP_DAYS change the defaults.
set -eu
DIR=${BACKUP_DIR:-/var/backups/coparcours}
AT=${BACKUP_TIME:-02:30}
KEEP_DAYS=${BACKUP_KEEP_DAYS:-30}
export TZ="${TZ:-Europe/Paris}"
# `docker compose stop` sends SIGTERM: stop at once while sleeping (sleep runs in the
# background so that the shell, process 1, handles the signal without waiting for it).
trap 'exit 0' TERM INT

backup() {
    if coparcours backup "$DIR"; then
        # A backup killed half-way leaves a .tar.partial, never a .tar: drop it after a day.
        find "$DIR" \( \( -name 'coparcours-*.tar' -mtime "+$KEEP_DAYS" \) -o \
            \( -name 'coparcours-*.tar.partial' -mtime +1 \) \) -delete
    else
        echo "Sauvegarde échouée ($(date)) : les archives précédentes sont gardées." >&2
    fi
}

if [ -z "$(find "$DIR" -name 'coparcours-*.tar' -mmin -1440)" ]; then
    backup # none within the last day
fi
while :; do
    now=$(date +%s)
    next=$(date -d "$AT" +%s)
    [ "$next" -gt "$now" ] || next=$(date -d "tomorrow $AT" +%s)
    sleep $((next - now)) &
    wait $!
    backup
done
