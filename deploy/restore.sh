#!/usr/bin/env bash
# Restore a folder written by deploy/backup.sh: the database, the public and the private media.
#
#   deploy/restore.sh [--force] BACKUP_FOLDER
#
# Reads DATABASE_URL, MEDIA_ROOT and PRIVATE_MEDIA_ROOT from the environment. The database must
# exist (createdb) and be empty, and the media folders empty or absent: anything else is refused
# unless --force is given, which replaces the tables of the backup and the files of the archives.
# The database is restored in one transaction: it either all arrives or nothing changes.
set -euo pipefail

usage() { echo "usage: restore.sh [--force] BACKUP_FOLDER" >&2; exit 2; }

force=0
source_folder=""
for argument in "$@"; do
    case "$argument" in
        --force) force=1 ;;
        -*) usage ;;
        *) [[ -z "$source_folder" ]] || usage; source_folder="$argument" ;;
    esac
done
[[ -n "$source_folder" ]] || usage

: "${DATABASE_URL:?DATABASE_URL is not set}"
: "${MEDIA_ROOT:?MEDIA_ROOT is not set}"
: "${PRIVATE_MEDIA_ROOT:?PRIVATE_MEDIA_ROOT is not set}"

database_url="$DATABASE_URL"
case "$database_url" in
    psql://* | pgsql://*) database_url="postgresql://${database_url#*://}" ;;
    postgres://* | postgresql://*) ;;
    *) echo "restore.sh: DATABASE_URL must point to PostgreSQL" >&2; exit 2 ;;
esac

for name in database.dump media.tar.gz private.tar.gz; do
    [[ -f "$source_folder/$name" ]] || { echo "restore.sh: $source_folder/$name is missing" >&2; exit 1; }
done
if [[ -f "$source_folder/SHA256SUMS" ]]; then
    (cd "$source_folder" && sha256sum --check --quiet SHA256SUMS) \
        || { echo "restore.sh: the backup does not match its SHA256SUMS" >&2; exit 1; }
fi

# Refuse before touching anything.
tables="$(psql --dbname="$database_url" --no-psqlrc --tuples-only --no-align --command \
    "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")"
if [[ "$tables" != "0" && "$force" != 1 ]]; then
    echo "restore.sh: the database already has $tables tables; use --force to overwrite it" >&2
    exit 1
fi
for folder in "$MEDIA_ROOT" "$PRIVATE_MEDIA_ROOT"; do
    if [[ -d "$folder" && -n "$(ls -A "$folder")" && "$force" != 1 ]]; then
        echo "restore.sh: $folder is not empty; use --force to overwrite it" >&2
        exit 1
    fi
done

pg_restore --dbname="$database_url" --no-owner --no-privileges --clean --if-exists \
    --single-transaction --exit-on-error "$source_folder/database.dump"
mkdir -p "$MEDIA_ROOT" "$PRIVATE_MEDIA_ROOT"
tar -C "$MEDIA_ROOT" -xzf "$source_folder/media.tar.gz"
tar -C "$PRIVATE_MEDIA_ROOT" -xzf "$source_folder/private.tar.gz"

echo "restore.sh: restored $source_folder"
