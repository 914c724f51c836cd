#!/usr/bin/env bash
# Fails when the tests changed anything under the real HOME since the marker file was made:
# every test works in a temporary home, its own keychain service and data dir. Caches of
# the build tools (cargo, rustup, npm) and the workspace itself are not the tests' doing.
set -euo pipefail
marker=$1
home=$HOME
prune=("${CARGO_HOME:-$home/.cargo}" "${RUSTUP_HOME:-$home/.rustup}" "$home/.npm" "$(pwd)")
args=()
for path in "${prune[@]}"; do
  args+=(-path "$path" -prune -o)
done
changed=$(find "$home" -xdev "${args[@]}" -newer "$marker" -print 2>/dev/null | grep -vx "$home" || true)
if [ -n "$changed" ]; then
  echo "The tests wrote under the real HOME ($home):"
  echo "$changed" | head -20
  exit 1
fi
echo "nothing written under the real HOME ($home)"
