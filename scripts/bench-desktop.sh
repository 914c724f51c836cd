#!/usr/bin/env bash
# The window's figures beside an empty Tauri 2 app built in the workspace (the floor), in one
# run: time to the window, to the first paint and to the account list painted, memory (PSS),
# CPU for start-up + 10 s, and idle CPU; with 8 and with 1,000 accounts; then the paint of
# later starts (the second start in a HOME) with 8. Measured by measure-desktop.sh (each
# launch gets its own Xvfb, HOME, D-Bus and keyring), runs alternating between the apps;
# prints the medians, then each figure as a ratio to the floor.
#
#   scripts/bench-desktop.sh <switchboard-app> <empty-tauri-app> <switchboard-cli>
#
# MEASURE_DESKTOP: the measuring script (default ../shared/tools/measure-desktop.sh); when it
# is missing the comparison is skipped and says so. BENCH_DESKTOP_RUNS: runs per app (5);
# BENCH_DESKTOP_LATER_RUNS: runs per app of the later-start pass (5).
#
# Switchboard starts in its default environment: it turns WebKit's compositing off by itself
# where there is no GPU. The empty app sets the same variables for itself (it calls the same
# function, `rendering::paint_in_software`), so the floor is an empty app at its best on this
# machine, not one slowed by software compositing.
set -euo pipefail
app=$(realpath "$1") empty=$(realpath "$2") cli=$(realpath "$3")
here=$(cd "$(dirname "$0")/.." && pwd)
measure=${MEASURE_DESKTOP:-$here/../shared/tools/measure-desktop.sh}
runs=${BENCH_DESKTOP_RUNS:-5}
if [[ ! -x $measure ]]; then
  echo "desktop bench skipped: no measure-desktop.sh at $measure (set MEASURE_DESKTOP)"
  exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/switchboard-bench-desktop.XXXXXX")
trap 'rm -rf "$work"' EXIT

# A data folder with `count` key accounts, over the providers whose keys have no usage to
# read (a launch has its own, empty keyring, so nothing would be found).
accounts() {
  local dir=$1 count=$2 providers=(claude codex gemini grok) i
  mkdir -p "$dir/home" "$dir/data"
  for ((i = 1; i <= count; i++)); do
    printf 'bench-key-%06d-abcdefghijklmnopqrstuvwxyz' "$i" |
      HOME=$dir/home SWITCHBOARD_DATA_DIR=$dir/data SWITCHBOARD_KEYRING_SERVICE=switchboard-bench-desktop \
        "$cli" add-key "${providers[i % 4]}" --label "Account $i" >/dev/null 2>&1
  done
}
echo "== desktop: preparing 8 and 1,000 accounts"
accounts "$work/few" 8
accounts "$work/many" 1000

echo "== desktop: $runs alternating runs of each app (about $((runs * 3 * 40 / 60 + 2)) minutes)"
"$measure" --warmup 1 --idle 10 --cpu-window 20 --screen 1280x800x24 --no-shots \
  --labels empty,switchboard-8,switchboard-1000 --out "$work/out" "$runs" \
  'Empty Tauri app' -- "$empty" \
  --- '^Switchboard$' -- env SWITCHBOARD_DATA_DIR="$work/few/data" SWITCHBOARD_KEYRING_SERVICE=switchboard-bench-desktop "$app" \
  --- '^Switchboard$' -- env SWITCHBOARD_DATA_DIR="$work/many/data" SWITCHBOARD_KEYRING_SERVICE=switchboard-bench-desktop "$app" \
  2>"$work/measure.log" | tee "$work/medians.txt" || { tail -20 "$work/measure.log"; exit 1; }

# ratios FILE APPS METRICS COLUMN [SUFFIX]: each app's figure (COLUMN 2 = median, 4 = the
# slowest run) as a ratio to the empty app's, from measure-desktop's `metric median min max`
# lines; SUFFIX is appended to the metric's name.
ratios() {
  awk -v apps="$2" -v metrics="$3" -v column="$4" -v suffix="${5:-}" '
    /^== / { app = $2; sub(/:$/, "", app); next }
    NF == 4 && $1 != "metric" { value[app, $1] = $column }
    END {
      na = split(apps, a, " "); nm = split(metrics, m, " ")
      for (i = 1; i <= na; i++) {
        for (j = 1; j <= nm; j++) {
          base = value["empty", m[j]]; v = value[a[i], m[j]]
          if (base == "" || base == "NA" || v == "" || v == "NA" || base + 0 == 0)
            printf "%-17s %-20s %10s (empty app %s)\n", a[i], m[j] suffix, v, base
          else
            printf "%-17s %-20s %10s vs %-8s %5.2fx\n", a[i], m[j] suffix, v, base, v / base
        }
      }
    }' "$1"
}

echo
echo "== desktop: ratios to the empty Tauri app (medians; content = the account list painted)"
ratios "$work/medians.txt" "switchboard-8 switchboard-1000" \
  "window_ms paint_ms content_ms pss_mib cpu_start_s cpu_idle_s" 2

# Later starts: the measured launch is the second in its HOME (measure-desktop --prime), as
# most real starts are. WebKitGTK could leave such a window blank for 500 ms (README,
# "Performance"), at random, so the slowest run is printed beside the median.
later=${BENCH_DESKTOP_LATER_RUNS:-5}
echo
echo "== desktop: later starts, $later alternating runs of each app (about $((later * 2 * 12 / 60 + 1)) minutes)"
"$measure" --prime --warmup 1 --idle 2 --cpu-window 2 --screen 1280x800x24 --no-shots \
  --labels empty,switchboard-8 --out "$work/out-later" "$later" \
  'Empty Tauri app' -- "$empty" \
  --- '^Switchboard$' -- env SWITCHBOARD_DATA_DIR="$work/few/data" SWITCHBOARD_KEYRING_SERVICE=switchboard-bench-desktop "$app" \
  2>"$work/measure-later.log" | grep -E '^== |^(window|paint|content)_ms' | tee "$work/later.txt" ||
  { tail -20 "$work/measure-later.log"; exit 1; }
echo
echo "== desktop: later starts, ratios to the empty Tauri app (medians, then the slowest run)"
ratios "$work/later.txt" switchboard-8 "paint_ms content_ms" 2
ratios "$work/later.txt" switchboard-8 "paint_ms content_ms" 4 " (slowest)"
