#!/usr/bin/env bash
# Compile templates/scss/style.scss (GOV.UK Frontend's Sass with jsna's brand colour and font
# stack, and jsna's own rules) into templates/assets/style.css, which is committed so that
# building a site needs no Node. Run it after changing anything under templates/scss/.
# Needs Node and npm; installs the pinned govuk-frontend and sass from package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/sass ] || [ ! -d node_modules/govuk-frontend ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
node_modules/.bin/sass --no-source-map --style=compressed --quiet-deps \
  --load-path=node_modules/govuk-frontend/dist \
  templates/scss/style.scss templates/assets/style.css
printf '%s\n' "$(cat templates/assets/style.css)" > templates/assets/style.css
echo "templates/assets/style.css: $(wc -c < templates/assets/style.css) bytes"
