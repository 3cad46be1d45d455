#!/usr/bin/env bash
# SSR of the signed-in chat page against the sign-in page, in one run:
# /app?c=ID for a user with 20 conversations, the open one with 50 messages
# (answers in markdown with a code block), beside /login as it is served
# (kept in memory) and as it is rendered (with a query). p50 and p99 from
# wrk, 1 thread and 8 connections, $DURATION each. Load goes to 127.0.0.1.
# Usage: bash benches/app_page.sh   (SKIP_BUILD=1 when run.sh has built;
# HOLD=SECONDS keeps the server and its data up that long afterwards, and
# prints its port and session cookie, e.g. for perf record)
source "$(dirname "${BASH_SOURCE[0]}")/../.ci/lib.sh"
cd "$ROOT"
ensure_rust
ensure_node_modules
command -v wrk >/dev/null 2>&1 || ensure_apt wrk
DURATION=${DURATION:-8s}
PORT=3630
[ -n "${SKIP_BUILD:-}" ] || { step "release build"; build_release_site >&2; }

source "$ROOT/benches/lib.sh"
[ -z "${HOLD:-}" ] || trap 'echo "port $PORT cookie $cookie c=$open_id"; sleep "$HOLD"; cleanup' EXIT
db="$work/bench.db"
start_palaver "$PORT" "$db"
cookie=$(session_cookie "$PORT" page@example.com)
open_id=$(python3 - "$db" <<'PY'
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
user = db.execute("SELECT id FROM users WHERE email = 'page@example.com'").fetchone()[0]
now = int(time.time())
answer = ("Here is **how** it works, step by step:\n\n- first point\n- second point with `code`\n\n"
          "```rust\nfn main() {\n    let answer = 42;\n    println!(\"{answer}\");\n}\n```\n\n"
          "That is all; ask again if anything is unclear.")
last = None
for c in range(20):
    cur = db.execute("INSERT INTO conversations (user_id, title, model, created_at, updated_at) "
                     "VALUES (?, ?, 'bench-model', ?, ?)", (user, f"Conversation {c}", now - c * 86400, now - c * 86400))
    last = cur.lastrowid if c == 0 else last
    n = 50 if c == 0 else 2
    parent = None
    for m in range(n):
        role = "user" if m % 2 == 0 else "assistant"
        text = f"Question {m}: how does this work?" if role == "user" else answer
        parent = db.execute("INSERT INTO messages (conversation_id, parent_id, role, content, status, created_at, model) "
                   "VALUES (?, ?, ?, ?, 'complete', ?, ?)",
                   (cur.lastrowid, parent, role, text, now, "bench-model" if role == "assistant" else None)).lastrowid
    db.execute("UPDATE conversations SET current_leaf_id = ? WHERE id = ?", (parent, cur.lastrowid))
db.commit()
print(last)
PY
)
status=$(curl -s -o "$work/app.html" -w '%{http_code}' -H "Cookie: $cookie" "http://127.0.0.1:$PORT/app?c=$open_id")
[ "$status" = 200 ] && grep -q "Question 48" "$work/app.html" || { echo "/app did not render the conversation ($status)" >&2; head -c 600 "$work/app.html" >&2; exit 1; }

# p50 and p99 (ms) of one wrk run.
measure() {
  wrk -t1 -c8 -d"$DURATION" --latency "$@" | python3 -c '
import re, sys
t = sys.stdin.read()
def ms(v):
    n, u = re.match(r"([\d.]+)(us|ms|s)$", v).groups()
    return float(n) * {"us": 0.001, "ms": 1, "s": 1000}[u]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
p50 = ms(re.search(r"^\s+50%\s+(\S+)", t, re.M).group(1))
p99 = ms(re.search(r"^\s+99%\s+(\S+)", t, re.M).group(1))
print(f"{rps:.0f} {p50:.2f} {p99:.2f}")'
}
step "SSR: /app with 20 conversations and 50 messages, and /login ($DURATION each)"
read -r app_rps app_p50 app_p99 < <(measure -H "Cookie: $cookie" "http://127.0.0.1:$PORT/app?c=$open_id")
read -r kept_rps kept_p50 kept_p99 < <(measure "http://127.0.0.1:$PORT/login")
read -r login_rps login_p50 login_p99 < <(measure "http://127.0.0.1:$PORT/login?next=/app")
printf '\n%-48s %10s %10s %10s %10s\n' "page" "req/s" "p50 ms" "p99 ms" "bytes"
printf '%-48s %10s %10s %10s %10s\n' "/app?c=ID (20 conversations, 50 messages)" "$app_rps" "$app_p50" "$app_p99" "$(wc -c < "$work/app.html")"
printf '%-48s %10s %10s %10s\n' "/login, kept in memory" "$kept_rps" "$kept_p50" "$kept_p99"
printf '%-48s %10s %10s %10s\n' "/login?next=/app, rendered" "$login_rps" "$login_p50" "$login_p99"
python3 -c "print(f'/app p50 is {$app_p50 / $login_p50:.1f}x the rendered /login (target: within 2x)')"
