#!/usr/bin/env bash
# Set up, score the bundled example conversations, then serve the web app on demo data.
#   bash scripts/demo.sh             # summary table, then the desk at http://127.0.0.1:8000
#   CALMDESK_DEMO_SERVE=0 bash scripts/demo.sh --full   # every conversation analysed, no server
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ "${1:-}" = "--full" ]; then
  .venv/bin/calmdesk demo
else
  .venv/bin/calmdesk demo --brief
fi
if [ "${CALMDESK_DEMO_SERVE:-1}" = "1" ]; then
  echo
  echo "Starting the escalation desk on demo data: open http://127.0.0.1:8000 and log in with"
  echo "the agent key printed below (Ctrl-C stops it)."
  exec .venv/bin/calmdesk serve --demo
fi
