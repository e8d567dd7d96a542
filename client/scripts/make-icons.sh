#!/bin/sh
# Makes the PNG icons of the web app manifest from the SVG icons, once (the PNGs are committed).
# Needs ImageMagick (Debian: apt-get install imagemagick). Run from client/: sh scripts/make-icons.sh
set -eu
CONVERT="${CONVERT:-convert}"
cd public/icons
for size in 192 512; do
  "$CONVERT" -background none -density 768 icon.svg -resize "${size}x${size}" -depth 8 -strip "icon-${size}.png"
  "$CONVERT" -background none -density 768 icon-maskable.svg -resize "${size}x${size}" -depth 8 -strip "icon-maskable-${size}.png"
done
"$CONVERT" -background none -density 768 icon-maskable.svg -resize 180x180 -depth 8 -strip apple-touch-icon.png
