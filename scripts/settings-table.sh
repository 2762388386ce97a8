#!/usr/bin/env bash
# README.md's table of settings is what `roster settings-table` prints, made from Sources/roster/Setting+All.swift (the
# one place each setting's variable, flag, default, meaning and parsing are written down). It sits in the README
# between the lines `<!-- settings-table:begin … -->` and `<!-- settings-table:end -->`.
#
#   scripts/settings-table.sh                                       # rewrites the README's table
#   scripts/settings-table.sh --check                               # exits 1 when it differs (run by scripts/test.sh)
#   ROSTER_BIN=.build-cli/debug/roster scripts/settings-table.sh --check   # with that binary
#
# Builds nothing: build `roster` first (swift build --product roster); without ROSTER_BIN it runs
# $(swift build --show-bin-path)/roster.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

CHECK=false
case "${1:-}" in
"") ;;
--check) CHECK=true ;;
*)
    say "usage: scripts/settings-table.sh [--check]"
    exit 2
    ;;
esac

find_roster prebuilt

# Every `static let NAME = Setting(` of the table file must be listed in `Setting.all`, or the README and
# `roster --help` would leave it out.
TABLE=Sources/roster/Setting+All.swift
LISTED=$(awk '/static let all: \[Setting\] = \[/ { listing = 1; next } listing && /^ *\]/ { exit } listing' "$TABLE" | tr -s ', ' '\n\n')
for name in $(sed -n 's/^ *static let \([A-Za-z0-9_]*\) = Setting($/\1/p' "$TABLE"); do
    if ! grep -qx "$name" <<<"$LISTED"; then
        say "Setting.$name is missing from Setting.all in $TABLE"
        exit 1
    fi
done

README=README.md
BEGIN='<!-- settings-table:begin'
END='<!-- settings-table:end -->'
if [[ $(grep -c "^$BEGIN" "$README") -ne 1 || $(grep -cx "$END" "$README") -ne 1 ]]; then
    say "$README must have one line starting \`$BEGIN\` and one line \`$END\`"
    exit 1
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/roster-settings-table.XXXXXX")
remove_work() { rm -rf "$WORK"; }
install_cleanup remove_work
# The table with a blank line before and after it, so that Markdown keeps the markers out of it.
{
    echo
    "$ROSTER" settings-table
    echo
} >"$WORK/generated"
# The lines strictly between the markers.
awk -v begin="$BEGIN" -v end="$END" '
    index($0, begin) == 1 { inside = 1; next }
    $0 == end { inside = 0 }
    inside { print }
' "$README" >"$WORK/current"

if $CHECK; then
    if ! diff -u --label "$README (settings table)" --label "roster settings-table" "$WORK/current" "$WORK/generated" >"$WORK/diff"; then
        say "$README's settings table differs from what roster prints: run scripts/settings-table.sh"
        head -n 40 "$WORK/diff" >&2
        exit 1
    fi
    exit 0
fi

awk -v begin="$BEGIN" -v end="$END" -v generated="$WORK/generated" '
    index($0, begin) == 1 { print; while ((getline line < generated) > 0) print line; skipping = 1; next }
    $0 == end { skipping = 0 }
    !skipping { print }
' "$README" >"$WORK/README.md"
if cmp -s "$WORK/README.md" "$README"; then
    say "$README's settings table is up to date"
else
    cat "$WORK/README.md" >"$README"
    say "rewrote $README's settings table"
fi
