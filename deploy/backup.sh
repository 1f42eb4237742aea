#!/usr/bin/env bash
# Back up the portal: the PostgreSQL database (pg_dump, custom format) and the uploaded
# files (MEDIA_ROOT), into BACKUP_DIR with the time in the names. Run daily from cron.
#   DATABASE_URL=postgres://... MEDIA_ROOT=/srv/portal/media BACKUP_DIR=/srv/backup deploy/backup.sh
set -euo pipefail
: "${DATABASE_URL:?DATABASE_URL must name the PostgreSQL database}"
: "${BACKUP_DIR:?BACKUP_DIR must name the folder to write to}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$BACKUP_DIR"
pg_dump --format=custom --no-owner --file="$BACKUP_DIR/portal-$stamp.dump" "$DATABASE_URL"
if [ -n "${MEDIA_ROOT:-}" ] && [ -d "$MEDIA_ROOT" ]; then
  tar -czf "$BACKUP_DIR/media-$stamp.tar.gz" -C "$MEDIA_ROOT" .
fi
echo "$BACKUP_DIR/portal-$stamp.dump"
