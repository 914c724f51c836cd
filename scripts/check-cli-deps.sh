#!/usr/bin/env bash
# Proves the `switchboard` command line carries no GUI library: nothing of GTK, WebKit, tauri
# or wry in its dependency tree (cargo tree) nor among the libraries it loads (ldd).
set -euo pipefail
bin=${1:-target/debug/switchboard}
gui='gtk|gdk|webkit|javascriptcore|tauri|wry|soup|cairo|pango|atk'
if tree_hits=$(cargo tree -p switchboard-cli -e normal,build --prefix none | grep -Ei "^($gui)" ); then
  echo "switchboard-cli depends on GUI crates:"; echo "$tree_hits"; exit 1
fi
if ldd_hits=$(ldd "$bin" | grep -Ei "$gui"); then
  echo "$bin loads GUI libraries:"; echo "$ldd_hits"; exit 1
fi
echo "$bin: $(ldd "$bin" | wc -l) shared libraries, none of GTK/WebKit; $(cargo tree -p switchboard-cli -e normal --prefix none | sort -u | wc -l) crates, none of tauri/wry/gtk"
