#!/bin/bash
# Runs selftests of tools/testing/selftests/drivers/net/netdevsim through
# kselftest's own runner, as CI systems do:
#   make -C tools/testing/selftests TARGETS=drivers/net/netdevsim \
#        TEST_PROGS="TEST..." run_tests
# so each test is bounded by the directory's 'settings' timeout and its
# result is the runner's TAP line. 'make run_tests' exits 0 whatever the
# results, so this reads them: exit 0 when every test passed, 4 when all
# were skipped, 1 otherwise (or when the runner reported nothing).
# Runs inside the test VM; environment (CASES, IO_MB, ...) reaches the tests.
# usage: tests/ksft-netdevsim.sh TEST...
set -u
linux=${LINUX:-${VM_TOP:?not in the VM}/build/linux}
[ $# -gt 0 ] || { echo "usage: $0 TEST..."; exit 2; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT

make -s -C "$linux/tools/testing/selftests" TARGETS=drivers/net/netdevsim \
	TEST_PROGS="$*" run_tests 2>&1 | tee "$out"

pass=0 fail=0 skip=0
for t in "$@"; do
	line=$(grep -E "^(not )?ok [0-9]+ selftests: drivers/net/netdevsim: $t( |$)" "$out" | tail -n 1)
	case "$line" in
	"") echo "FAIL: $t: no result from the kselftest runner"; fail=$((fail + 1)) ;;
	"not ok "*) echo "FAIL: $t: ${line#*"$t"}"; fail=$((fail + 1)) ;;
	*"# SKIP"*) echo "SKIP: $t: $(grep -E '^# (SKIP:|1\.\.0 # SKIP)' "$out" | tail -n 1 | sed -E 's/^# (SKIP: |1\.\.0 # SKIP )//')"; skip=$((skip + 1)) ;;
	*) echo "PASS: $t"; pass=$((pass + 1)) ;;
	esac
done
echo "kselftest: $pass passed, $fail failed, $skip skipped"
[ $fail = 0 ] || exit 1
[ $pass = 0 ] && exit 4
exit 0
