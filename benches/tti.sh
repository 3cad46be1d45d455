#!/usr/bin/env bash
# Time to interactive of /login and of /app with 8 messages, in Chromium
# with 4× CPU throttling on a 1.6 Mbps / 150 ms link, cache empty
# (benches/tti.mjs), against the release build. Load goes to 127.0.0.1.
# Usage: bash benches/tti.sh   (SKIP_BUILD=1 when the release site is built)
source "$(dirname "${BASH_SOURCE[0]}")/../.ci/lib.sh"
cd "$ROOT"
ensure_rust
ensure_node_modules
ensure_apt chromium
PORT=3640
[ -n "${SKIP_BUILD:-}" ] || { step "release build"; build_release_site >&2; }

source "$ROOT/benches/lib.sh"
db="$work/bench.db"
start_palaver "$PORT" "$db"
cookie=$(session_cookie "$PORT" tti@example.com)
id=$(python3 - "$db" <<'PY'
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
user = db.execute("SELECT id FROM users WHERE email = 'tti@example.com'").fetchone()[0]
now = int(time.time())
cur = db.execute("INSERT INTO conversations (user_id, title, model, created_at, updated_at) "
                 "VALUES (?, 'Eight messages', 'bench-model', ?, ?)", (user, now, now))
answer = "Sure. Here is **one way**:\n\n```python\nprint('hello')\n```\n\nand a list:\n\n- one\n- two"
parent = None
for m in range(8):
    role = "user" if m % 2 == 0 else "assistant"
    parent = db.execute("INSERT INTO messages (conversation_id, parent_id, role, content, status, created_at, model) "
               "VALUES (?, ?, ?, ?, 'complete', ?, ?)",
               (cur.lastrowid, parent, role, f"Question {m}?" if role == "user" else answer, now,
                None if role == "user" else "bench-model")).lastrowid
db.execute("UPDATE conversations SET current_leaf_id = ? WHERE id = ?", (parent, cur.lastrowid))
db.commit()
print(cur.lastrowid)
PY
)
step "time to interactive (4x CPU, 1.6 Mbps, 150 ms RTT)"
# /login signed out (signed in, it sends the visitor on to /app).
node "$ROOT/benches/tti.mjs" "http://127.0.0.1:$PORT" "" /login > "$work/tti"
node "$ROOT/benches/tti.mjs" "http://127.0.0.1:$PORT" "$cookie" "/app?c=$id" >> "$work/tti"
printf '\n%-24s %16s %22s %22s\n' "page" "HTML painted" "interactive (target)" "script transferred"
awk -F'|' '$1 == "row" {
  printf "%-24s %13s ms %14s ms %-7s %17s KiB\n", $2, $3, $4, (($2 ~ /^\/app/) ? "(1.5 s)" : ""), $5 }' "$work/tti"
