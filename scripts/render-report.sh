#!/usr/bin/env bash
# Renders an HTML report of `rulebench compare --html` to a PNG with headless Chromium, so the
# page can be looked at without a browser.
#
#   scripts/render-report.sh REPORT.html OUT.png [WIDTH] [HEIGHT]
#
# Needs Debian's `chromium` package (apt-get install chromium). The screenshot is WIDTH CSS
# pixels wide (default 1280). Its height is the page's own height, measured first by loading a
# copy of the page with one line of script that reads it. HEIGHT overrides it, with a warning
# when it cuts the page. When the page cannot be measured, the height is 16000 pixels, and the
# script warns if the page may run past it. When ImageMagick's `convert` is installed, the
# empty space below the page is trimmed off. Chromium runs with a fresh profile, without a
# sandbox (it runs as root in containers) and with every background service that could reach
# the network turned off. Every host name resolves to nothing, so the page could not load
# anything even if it tried.
set -euo pipefail

if [[ $# -lt 2 ]]; then
    echo "usage: $0 REPORT.html OUT.png [WIDTH] [HEIGHT]" >&2
    exit 2
fi
html=$1
png=$2
width=${3:-1280}
height=${4:-}
# Used when the page cannot be measured: taller than every shipped report at 1280 pixels.
fallback_height=16000
# Space kept below the page.
margin=32

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

run_browser() {
    "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run --disable-extensions \
        --disable-default-apps --host-resolver-rules="MAP * ~NOTFOUND" \
        --user-data-dir="$profile" --hide-scrollbars --force-device-scale-factor=1 "$@" \
        2>/dev/null
}

# The copy writes the page's height into its title, which --dump-dom prints. The report has no
# scripts of its own, and the copy is deleted with the profile.
measure="$profile/measure.html"
sed 's#</body>#<script>document.title = "rulebench-height:" + Math.ceil(document.documentElement.scrollHeight);</script></body>#' \
    "$html" >"$measure"
page_height=$(run_browser --window-size="$width,1000" --dump-dom "file://$measure" |
    grep -o 'rulebench-height:[0-9][0-9]*' | head -n 1 | cut -d: -f2 || true)

if [[ -z $height ]]; then
    if [[ -n $page_height ]]; then
        height=$((page_height + margin))
    else
        height=$fallback_height
        echo "warning: could not measure the page's height; the picture is $height pixels tall" >&2
    fi
elif [[ -n $page_height && $page_height -gt $height ]]; then
    echo "warning: the page is $page_height pixels tall, so a picture $height pixels tall cuts" \
        "it off; leave out HEIGHT to fit the page" >&2
fi

run_browser --window-size="$width,$height" --screenshot="$png" "$page"

if command -v convert >/dev/null && convert -version 2>/dev/null | grep -q ImageMagick; then
    # Trim the white space below the page, then keep a margin of 16 pixels.
    convert "$png" -trim +repage -bordercolor white -border 16 "$png"
    if [[ -z $page_height ]]; then
        # A page that reaches the bottom of the picture leaves nothing to trim there.
        trimmed=$(identify -format '%h' "$png")
        if ((trimmed >= height)); then
            echo "warning: the page fills all $height pixels of the picture and may be cut" \
                "off; pass a larger HEIGHT" >&2
        fi
    fi
fi
echo "wrote $png"
