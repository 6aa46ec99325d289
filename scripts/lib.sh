# Shared settings and helpers for the project's scripts (sourced, not run).
# shellcheck shell=sh

BASE_VERSION=6.12.117
DEB_VERSION=6.12.117-1~deb12u1
# The base commit is made with a fixed identity and date so that its id,
# and therefore every 'base-commit:' line in patches/, is the same everywhere.
BASE_NAME="Linux base"
BASE_EMAIL="base@localhost"
BASE_DATE="2025-01-01T00:00:00+0000"

top=${top:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD_DIR=${BUILD_DIR:-$top/build}
case "$BUILD_DIR" in /*) ;; *) BUILD_DIR=$(pwd)/$BUILD_DIR ;; esac
export BUILD_DIR

log() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die() { printf '%s: error: %s\n' "${0##*/}" "$*" >&2; exit 1; }

# require_clean_workspace: numbers and results must name a series, so
# build/linux may not hold uncommitted changes.
require_clean_workspace() {
	[ -z "$(git -C "$BUILD_DIR/linux" status --porcelain --untracked-files=no)" ] ||
		die "build/linux has uncommitted changes: the numbers would name no series"
}

# export_series REPO OUTDIR: write base..HEAD of REPO as format-patch files
# into OUTDIR, with the cover letter filled from patches/cover.txt.
export_series() {
	_repo=$1
	_out=$2
	mkdir -p "$_out"
	_n=$(git -C "$_repo" rev-list --count base..HEAD)
	[ "$_n" -gt 0 ] || return 0
	git -C "$_repo" -c core.abbrev=12 -c format.signature= \
		-c format.coverLetter=false -c format.thread=false \
		-c format.numbered=auto -c format.signOff=false \
		format-patch -q --zero-commit --base=base --no-signature \
		--cover-letter --subject-prefix=PATCH -o "$_out" base..HEAD
	fill_cover "$_out/0000-cover-letter.patch" "$top/patches/cover.txt"
}

# fill_cover FILE TEXT: put TEXT's first line in place of the subject
# placeholder and the rest in place of the blurb placeholder; give the
# cover letter the date of the newest patch so that re-exporting an
# unchanged series gives an identical file.
fill_cover() {
	[ -f "$2" ] || die "$2 missing: the cover letter text lives there"
	_date=$(sed -n 's/^Date: //p' "$(ls "$(dirname "$1")"/[0-9]*.patch | tail -n 1)" | head -n 1)
	python3 - "$1" "$2" "$_date" "$top/scripts" <<'PY'
import os, sys
path, text_path, date, scripts = sys.argv[1:5]
sys.path.insert(0, scripts)
from coverlib import cover_for
subject, body = cover_for(open(text_path).read(), "series")
cover = open(path).read()
cover = cover.replace("*** SUBJECT HERE ***", subject, 1)
cover = cover.replace("*** BLURB HERE ***", body, 1)
out = []
for line in cover.split("\n"):
    if line.startswith("Date: ") and date:
        line = "Date: " + date
        date = None
    out.append(line)
open(path, "w").write("\n".join(out))
PY
}

# series_equal A B: the .patch files in directories A and B are the same.
series_equal() {
	_a=$(cd "$1" && ls ./*.patch 2>/dev/null | sort)
	_b=$(cd "$2" && ls ./*.patch 2>/dev/null | sort)
	[ "$_a" = "$_b" ] || return 1
	for _f in $_a; do
		cmp -s "$1/$_f" "$2/$_f" || return 1
	done
	return 0
}
