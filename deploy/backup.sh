#!/usr/bin/env bash
# Back up eventum into one dated folder: the database (pg_dump custom format), the public media
# and the private media (buyers' files, PDFs), with a SHA256SUMS file to check them by.
#
#   deploy/backup.sh [BACKUP_ROOT]        (default: $BACKUP_ROOT, else ./backups)
#
# Reads DATABASE_URL (postgres://user:password@host:port/name), MEDIA_ROOT and
# PRIVATE_MEDIA_ROOT from the environment, as the application does. Prints the folder it wrote.
# The folder holds personal data: it is created readable by its owner only.
set -euo pipefail

: "${DATABASE_URL:?DATABASE_URL is not set}"
: "${MEDIA_ROOT:?MEDIA_ROOT is not set}"
: "${PRIVATE_MEDIA_ROOT:?PRIVATE_MEDIA_ROOT is not set}"

# libpq understands postgres:// and postgresql://; django-environ also allows these aliases.
database_url="$DATABASE_URL"
case "$database_url" in
    psql://* | pgsql://*) database_url="postgresql://${database_url#*://}" ;;
    postgres://* | postgresql://*) ;;
    *) echo "backup.sh: DATABASE_URL must point to PostgreSQL" >&2; exit 2 ;;
esac

backup_root="${1:-${BACKUP_ROOT:-backups}}"
target="$backup_root/$(date -u +%Y-%m-%dT%H%M%SZ)"
umask 077
mkdir -p "$backup_root"
mkdir "$target"  # fails rather than mixing two backups taken in the same second

archive_folder() {  # archive_folder <folder> <archive>
    if [[ -d "$1" ]]; then
        tar -C "$1" -czf "$2" .
    else
        echo "backup.sh: $1 does not exist; writing an empty $(basename "$2")" >&2
        tar -czf "$2" -T /dev/null
    fi
}

pg_dump --format=custom --no-owner --no-privileges --file="$target/database.dump" \
    --dbname="$database_url"
archive_folder "$MEDIA_ROOT" "$target/media.tar.gz"
archive_folder "$PRIVATE_MEDIA_ROOT" "$target/private.tar.gz"
(cd "$target" && sha256sum database.dump media.tar.gz private.tar.gz >SHA256SUMS)

echo "$target"
