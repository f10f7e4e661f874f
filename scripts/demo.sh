#!/usr/bin/env bash
# Set up and run calmdesk's demo on the bundled example conversations.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/calmdesk demo "$@"
