#!/usr/bin/env bash
# npm run test:editor: the editor suite. Installs code-server + Chromium when missing (scripts/e2e-setup.sh, cached
# outside the repository), builds and packages the extension, then runs test/e2e in a real VS Code (mocha config
# test/e2e/.mocharc.json). Screenshots and logs go to test-results/e2e/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/e2e-setup.sh
npm run package --silent
npm run compile-tests --silent
exec npx mocha --config test/e2e/.mocharc.json "$@"
