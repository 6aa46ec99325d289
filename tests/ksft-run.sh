#!/bin/bash
# Runs selftests of one kselftest target (a directory under
# tools/testing/selftests) through kselftest's own runner, as CI systems do:
#   make -C tools/testing/selftests TARGETS=TARGET TEST_PROGS="TEST..." \
#        run_tests
# so each test is bounded by the target's 'settings' timeout and its
# result is the runner's TAP line. 'make run_tests' exits 0 whatever the
# results, so this reads them: exit 1 when a test failed or reported
# nothing, 4 when every test was skipped, 0 otherwise (passed, or some
# skipped). Runs inside the test VM; the environment (CASES, IO_MB, ...)
# reaches the tests.
# usage: tests/ksft-run.sh TARGET TEST...
set -u
linux=${LINUX:-${VM_TOP:?not in the VM}/build/linux}
[ $# -gt 1 ] || { echo "usage: $0 TARGET TEST..."; exit 2; }
target=$1
shift
out=$(mktemp)
trap 'rm -f "$out"' EXIT

make -s -C "$linux/tools/testing/selftests" TARGETS="$target" \
	TEST_PROGS="$*" run_tests 2>&1 | tee "$out"

pass=0 fail=0 skip=0
for t in "$@"; do
	hdr="selftests: $target: $t"
	line=$(grep -E "^(not )?ok [0-9]+ " "$out" |
		grep -F "$hdr" | tail -n 1)
	# the test's own output, between its header and its result line
	reason=$(awk -v h="# $hdr" -v r="$hdr" '
		$0 == h { on = 1; next }
		on && index($0, r) && $0 ~ /^(not )?ok / { on = 0 }
		on && /^# (SKIP: |1\.\.0 # SKIP )/ { sub(/^# (SKIP: |1\.\.0 # SKIP )/, ""); last = $0 }
		END { print last }' "$out")
	case "$line" in
	"") echo "FAIL: $t: no result from the kselftest runner"; fail=$((fail + 1)) ;;
	"not ok "*) echo "FAIL: $t:${line#*"$hdr"}"; fail=$((fail + 1)) ;;
	*"# SKIP"*) echo "SKIP: $t: ${reason:-no reason given}"; skip=$((skip + 1)) ;;
	*) echo "PASS: $t"; pass=$((pass + 1)) ;;
	esac
done
echo "kselftest $target: $pass passed, $fail failed, $skip skipped"
[ $fail = 0 ] || exit 1
[ $pass = 0 ] && exit 4
exit 0
