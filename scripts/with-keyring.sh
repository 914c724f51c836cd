#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with a throwaway, unlocked gnome-keyring:
# the real Secret Service, but never the user's own keychain. Everything it starts ends with
# the session.
#
# gnome-keyring-daemon has an upstream race that aborts it when a client sends a request and
# disconnects at once (gkd_secret_service_get_pkcs11_session: assertion 'client' failed; see
# GNOME/gnome-keyring#190, #196, #199). The reliability suite SIGKILLs thousands of clients,
# so now and then it hits it. D-Bus then starts a new daemon on the next request; with the
# stock service file that daemon finds the test keyring locked and waits for a password
# prompt nobody can answer. So this session's own service file (found before the system's,
# in XDG_DATA_HOME) starts every daemon already unlocked, and the keyring on disk carries
# the secrets over. At the end the number of replacements is printed.
set -euo pipefail
scratch=$(mktemp -d "${TMPDIR:-/tmp}/switchboard-keyring.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/data/dbus-1/services" "$scratch/runtime"
chmod 700 "$scratch/runtime"
export XDG_DATA_HOME="$scratch/data" XDG_RUNTIME_DIR="$scratch/runtime"
password=switchboard-test
cat >"$scratch/keyring-daemon" <<SCRIPT
#!/bin/sh
echo started >>"$scratch/daemon-starts"
printf '%s' '$password' | exec gnome-keyring-daemon --unlock --foreground --components=secrets
SCRIPT
chmod 700 "$scratch/keyring-daemon"
cat >"$scratch/data/dbus-1/services/org.freedesktop.secrets.service" <<SERVICE
[D-BUS Service]
Name=org.freedesktop.secrets
Exec=$scratch/keyring-daemon
SERVICE
status=0
dbus-run-session -- sh -c '
  printf "%s" "$1" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  shift
  exec "$@"' _ "$password" "$@" || status=$?
if [ -s "$scratch/daemon-starts" ]; then
  echo "with-keyring: gnome-keyring-daemon died and was started again, unlocked, $(wc -l <"$scratch/daemon-starts") time(s)" >&2
fi
exit "$status"
