#!/usr/bin/env bash
# Renders an HTML report of `rulebench compare --html` to a PNG with headless Chromium, so the
# page can be looked at without a browser.
#
#   scripts/render-report.sh REPORT.html OUT.png [WIDTH] [HEIGHT]
#
# Needs Debian's `chromium` package (apt-get install chromium). The screenshot is WIDTH x HEIGHT
# CSS pixels (default 1280 x 6000). When ImageMagick's `convert` is installed, the empty space
# below the page is trimmed off. Chromium runs with a fresh profile, without a sandbox (it runs
# as root in containers) and with every background service that could reach the network turned
# off; every host name resolves to nothing, so the page could not load anything even if it tried.
set -euo pipefail

if [[ $# -lt 2 ]]; then
    echo "usage: $0 REPORT.html OUT.png [WIDTH] [HEIGHT]" >&2
    exit 2
fi
html=$1
png=$2
width=${3:-1280}
height=${4:-6000}

if [[ ! -f $html ]]; then
    echo "error: \`$html\` does not exist: write it with rulebench compare --html $html" >&2
    exit 1
fi
browser=$(command -v chromium || command -v chromium-browser || true)
if [[ -z $browser ]]; then
    echo "error: chromium is not installed: run apt-get install chromium" >&2
    exit 1
fi

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
page="file://$(cd "$(dirname "$html")" && pwd)/$(basename "$html")"

"$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --disable-extensions \
    --disable-default-apps --host-resolver-rules="MAP * ~NOTFOUND" \
    --user-data-dir="$profile" --hide-scrollbars --force-device-scale-factor=1 \
    --window-size="$width,$height" --screenshot="$png" "$page" 2>/dev/null

if command -v convert >/dev/null && convert -version 2>/dev/null | grep -q ImageMagick; then
    # Trim the white space below the page, then keep a margin of 16 pixels.
    convert "$png" -trim -bordercolor white -border 16 "$png"
fi
echo "wrote $png"
