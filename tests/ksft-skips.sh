#!/bin/bash
# The kselftests of the series skip, with a reason, when a tool
# they need is missing: each runs with a PATH that lacks one tool and must
# exit with KSFT_SKIP (4) and name it, before setting anything up.
# Then a case name the script does not know must fail it, not skip it.
# Runs inside the test VM (as root); SKIPS_ONLY=1 leaves out the last
# check, which sets netdevsim and a target up. Exit 0 pass, 1 fail.
set -u
linux=${LINUX:-${VM_TOP:?not in the VM}/build/linux}
dir=$linux/tools/testing/selftests/drivers/net
farm=$(mktemp -d)
trap 'rm -rf "$farm"' EXIT
fail=0

# every command on PATH, as symlinks in one directory
all=$farm/all
mkdir -p "$all"
IFS=: read -ra dirs <<<"$PATH"
for d in "${dirs[@]}"; do
	[ -d "$d" ] && cp -sn "$d"/* "$all"/ 2>/dev/null
done

# without TOOL SCRIPT WANT: run SCRIPT with TOOL missing from PATH
without() {
	local tool=$1 script=$2 want=$3 bin=$farm/no-$1 rc out

	rm -rf "$bin"
	cp -a "$all" "$bin"
	rm -f "$bin/$tool"
	out=$(PATH=$bin timeout 120 "$dir/$script" 2>&1)
	rc=$?
	if [ $rc != 4 ]; then
		echo "FAIL: $script without $tool: exit $rc, not 4 (KSFT_SKIP)"
		echo "$out" | tail -n 5 | sed 's/^/    /'
		fail=1
	elif ! grep -qE "^SKIP: .*$want" <<<"$out" ||
	     ! grep -qE "^1\.\.0 # SKIP .*$want" <<<"$out"; then
		echo "FAIL: $script without $tool: no 'SKIP: ...$want' and TAP skip line"
		echo "$out" | tail -n 5 | sed 's/^/    /'
		fail=1
	else
		echo "ok: $script without $tool: $(grep '^SKIP: ' <<<"$out" | tail -n 1)"
	fi
}

without python3 netdevsim/ulp_ddp.sh python3
without nvme nvme_tcp_ddp/nvme_tcp_ddp.sh nvme-cli
without fio nvme_tcp_ddp/nvme_tcp_ddp.sh fio
without python3 nvme_tcp_ddp/nvme_tcp_ddp_hostile.sh python3
# a mistyped case is a failure, not a skip (this one sets the pair up)
if [ -z "${SKIPS_ONLY:-}" ]; then
	out=$(CASES=no_such_case timeout 300 "$dir/nvme_tcp_ddp/nvme_tcp_ddp.sh" 2>&1)
	rc=$?
	if [ $rc = 1 ] && grep -q '^not ok 1 - unknown case no_such_case' <<<"$out"; then
		echo "ok: nvme_tcp_ddp.sh CASES=no_such_case: fails (exit 1)"
	else
		echo "FAIL: nvme_tcp_ddp.sh CASES=no_such_case: exit $rc, not 1 with a not ok line"
		echo "$out" | tail -n 5 | sed 's/^/    /'
		fail=1
	fi
fi
[ $fail = 0 ]
