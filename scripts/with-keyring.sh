#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with a throwaway, unlocked gnome-keyring:
# the real Secret Service, but never the user's own keychain. Everything it starts ends with
# the session.
set -euo pipefail
scratch=$(mktemp -d "${TMPDIR:-/tmp}/switchboard-keyring.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/data" "$scratch/runtime"
chmod 700 "$scratch/runtime"
export XDG_DATA_HOME="$scratch/data" XDG_RUNTIME_DIR="$scratch/runtime"
dbus-run-session -- sh -c '
  printf "switchboard-test" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  exec "$@"' _ "$@"
