#!/usr/bin/env bash
# Restore a backup made by backup.sh into the (empty or existing) database DATABASE_URL,
# replacing what is there, and the uploaded files into MEDIA_ROOT if a media archive is given.
#   DATABASE_URL=postgres://... deploy/restore.sh /srv/backup/portal-<time>.dump [media-<time>.tar.gz]
set -euo pipefail
: "${DATABASE_URL:?DATABASE_URL must name the PostgreSQL database}"
dump="${1:?the .dump file to restore}"
pg_restore --clean --if-exists --no-owner --exit-on-error --single-transaction \
  --dbname="$DATABASE_URL" "$dump"
if [ -n "${2:-}" ]; then
  : "${MEDIA_ROOT:?MEDIA_ROOT must name the folder for the uploaded files}"
  mkdir -p "$MEDIA_ROOT"
  tar -xzf "$2" -C "$MEDIA_ROOT"
fi
echo "restored $dump"
