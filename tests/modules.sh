#!/bin/bash
# The series' modules load and unload in the VM (scripts/vm-init loads
# netdevsim and nvme-tcp at boot).
#   modules.sh kunit   each KUnit suite built as (or into) a module other
#                      than those runs as the module loads and passes;
#                      the module then unloads
#   modules.sh unload  after the other tests: nvme-tcp and netdevsim
#                      unload (nothing the tests did holds them), and
#                      netdevsim's suite passed when it loaded
# Exit 0 pass, 1 fail, 4 skip.
set -u
kunit=/sys/kernel/debug/kunit

if [ ! -e /proc/modules ] || [ -z "${VM_MODROOT:-}" ]; then
	echo "SKIP: the kernel was built without modules (configs/modules.config not merged)"
	exit 4
fi

loaded() { grep -q "^$1 " /proc/modules; }
fail=0
bad() { echo "not ok: $*"; fail=1; }

# suite_passed SUITE: KUnit kept its results in debugfs while the module
# that holds the suite is loaded.
suite_passed() {
	local r=$kunit/$1/results
	if [ ! -r "$r" ]; then
		bad "suite $1 has no results in $kunit (did it run?)"
	elif grep -qE "^(ok|not ok) [0-9]+ $1( |$)" "$r" && ! grep -qE "^not ok [0-9]+ $1( |$)" "$r"; then
		echo "ok: suite $1 ran and passed"
	else
		grep -E '^ *not ok' "$r" | head -n 10
		bad "suite $1 failed"
	fi
}

# unload MODULE: rmmod must succeed and the module be gone.
unload() {
	if ! out=$(rmmod "$1" 2>&1); then
		bad "rmmod $1: $out"
	elif loaded "$1"; then
		bad "$1 still loaded after rmmod"
	else
		echo "ok: $1 unloaded"
	fi
}

case "${1:-}" in
kunit)
	# module:suite[,suite...]
	for ms in ulp_ddp_test:ulp_ddp_skb,ulp_ddp mlx5_core:mlx5e_nvmeotcp,mlx5e_nvmeotcp_rx; do
		m=${ms%%:*} suites=${ms#*:}
		if loaded "$m"; then
			bad "$m is loaded before the test loads it"
			continue
		fi
		if ! out=$(modprobe "$m" 2>&1); then
			bad "modprobe $m: $out"
			continue
		fi
		echo "ok: $m loaded"
		for s in ${suites//,/ }; do
			suite_passed "$s"
		done
		unload "$m"
		for s in ${suites//,/ }; do
			[ -e "$kunit/$s" ] && bad "suite $s left in debugfs after $m unloaded"
		done
	done
	;;
unload)
	loaded netdevsim || bad "netdevsim is not loaded (scripts/vm-init loads it)"
	loaded netdevsim && suite_passed netdevsim_ulp_ddp
	for m in nvme_tcp netdevsim; do
		loaded "$m" && unload "$m"
	done
	;;
*)
	echo "usage: $0 kunit|unload" >&2
	exit 2
	;;
esac
[ $fail = 0 ] || { echo "FAIL: see the not ok lines above"; exit 1; }
exit 0
