#!/usr/bin/env bash
# Rebuild the vendored design system in hoering/static/dkfds from the DKFDS npm package
# pinned in assets/package.json (and package-lock.json): `npm ci`, then assets/vendor.mjs
# compiles the Sass of the components hoering uses and copies DKFDS's JavaScript, fonts,
# icons and licences. The result is committed: the app and CI do not need npm or Node.
# To move to a new DKFDS: change the version in assets/package.json, `npm install` in
# assets/ (updates the lock file), run this script, look at the pages, commit.
set -euo pipefail
cd "$(dirname "$0")/../assets"
npm ci --ignore-scripts --no-audit --no-fund
node vendor.mjs
du -sh ../hoering/static/dkfds
