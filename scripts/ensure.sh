#!/bin/sh
# Make sure this checkout has its dependencies, including Node 24 (from the npm
# registry's `node` package) when the host's Node is older. Called by every npm
# script first, so a fresh clone needs no manual step. Quick when nothing changed.
set -eu
cd "$(dirname "$0")/.."
stamp=node_modules/.mchlink-installed
if [ ! -x node_modules/.bin/node ] || [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "mchlink: installing dependencies (npm ci)" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2 || {
    echo "mchlink: npm ci failed; is the npm registry reachable from this machine?" >&2
    exit 1
  }
  touch "$stamp"
fi
major=$(node_modules/.bin/node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 24 ]; then
  echo "mchlink: node_modules/.bin/node is Node $major; Node 24 is needed. Remove node_modules and run again." >&2
  exit 1
fi
