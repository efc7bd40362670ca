#!/usr/bin/env bash
# Appends glossary terms from a YAML file to courses/glossary.yaml, under a lock so that several
# writers never overwrite each other; refuses ids that already exist.  usage: glossary-add.sh FILE
set -euo pipefail
cd "$(dirname "$0")/.."
new="$1"
exec 9>courses/.glossary.lock
flock 9
dups=$(grep -oE '^[a-z0-9-]+:' "$new" | while read -r id; do grep -qx "$id" <(grep -oE '^[a-z0-9-]+:' courses/glossary.yaml) && echo "$id"; done || true)
if [ -n "$dups" ]; then echo "already in the glossary (reuse them, do not add): $dups" >&2; exit 1; fi
printf '%s\n' "$(cat "$new")" >> courses/glossary.yaml
echo "added: $(grep -oE '^[a-z0-9-]+:' "$new" | tr '\n' ' ')"
