#!/bin/bash
# nvme-tcp with ULP DDP: the host's netdevsim port has the offload on, so
# read data is placed in the block requests' pages by the (emulated)
# device and data digests are verified by it. fio writes a pattern and
# reads it back verified, over block sizes and queue depths, without and
# with data digest; the host's counters (debugfs nvme_tcp/<ctrl>) must show
# the reads placed rather than copied, and the digests checked by the
# device. A last run with the flag off must leave the offload counters at 0
# and count every byte read as copied by the host.
# Runs inside the test VM. Exit 0 pass, 1 fail, 4 skip.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/nvme-topo.sh"

DDP=ulp-ddp-hw-rx-offload
CRC=ulp-ddp-crc-hw-rx-offload
DBG=/sys/kernel/debug/nvme_tcp

for t in nvme fio nsenter ip ethtool; do
	command -v "$t" >/dev/null || { echo "SKIP: $t not installed"; exit 4; }
done
[ -w "$NSIM_BUS/new_device" ] || { echo "SKIP: netdevsim not in this kernel"; exit 4; }

fail=0
bad() {
	echo "FAIL: $*"
	fail=1
}

# host counter $1 summed over the I/O queues
hstat() {
	awk -v k="$1" '$2 == k { s += $3 } END { printf "%.0f\n", s }' "$DBG/$NVME_CTRL"
}

# run_fio NAME BS SIZE QD: write a pattern, read it back verified
run_fio() {
	local out rc
	out=$(fio --name="$1" --filename="$NVME_DEV" --direct=1 \
		--ioengine=libaio --iodepth="$4" --rw=write --bs="$2" \
		--size="$3" --verify=crc32c --verify_fatal=1 --do_verify=1 2>&1)
	rc=$?
	if [ $rc != 0 ] || echo "$out" | grep -q 'verify: bad\|err= *[1-9]'; then
		echo "$out" | tail -n 20
		bad "fio $1 (exit $rc)"
		return 1
	fi
	return 0
}

to_bytes() {
	numfmt --from=iec "$1"
}

# session DIGEST-OPTS...: connect, run the matrix, check the counters
session() {
	local tag=$1 spec bs size qd before_p before_c after_p after_c bytes
	local placed copied total=0 hw sw

	shift
	topo_connect "$@" || { bad "$tag: connect"; return; }
	if ! grep -q ' ddp 1$' "$DBG/$NVME_CTRL"; then
		cat "$DBG/$NVME_CTRL"
		bad "$tag: no I/O queue offloaded"
		topo_disconnect
		return
	fi
	for spec in 4k:1M:1 64k:4M:16 1M:8M:64; do
		IFS=: read -r bs size qd <<<"$spec"
		before_p=$(hstat bytes_placed)
		before_c=$(hstat bytes_copied)
		run_fio "$tag-$bs-qd$qd" "$bs" "$size" "$qd" || continue
		after_p=$(hstat bytes_placed)
		after_c=$(hstat bytes_copied)
		bytes=$(to_bytes "$size")
		placed=$((after_p - before_p))
		copied=$((after_c - before_c))
		echo "$tag bs=$bs qd=$qd: read $bytes, placed $placed, copied $copied"
		# every read is above the device's 4 KiB threshold
		[ "$placed" -ge $((bytes * 99 / 100)) ] ||
			bad "$tag bs=$bs qd=$qd: placed $placed of $bytes"
		[ "$copied" -le $((bytes / 100)) ] ||
			bad "$tag bs=$bs qd=$qd: copied $copied of $bytes"
		total=$((total + bytes))
	done
	if [ "$tag" = digest ]; then
		hw=$(hstat crc_offload_bytes)
		sw=$(hstat crc_host_bytes)
		[ "$hw" -ge $((total * 99 / 100)) ] ||
			bad "$tag: device checked $hw of $total digest bytes"
		[ "$sw" -le $((total / 100)) ] ||
			bad "$tag: host computed $sw of $total digest bytes"
	fi
	echo "$tag host counters:"
	awk '{ s[$2] += $3 } END { for (k in s) print "  " k, s[k] }' \
		"$DBG/$NVME_CTRL" | sort
	topo_disconnect
}

trap topo_down EXIT
topo_net_up && topo_target_up || { echo "FAIL: topology setup"; exit 1; }
[ -d "$DBG" ] || { echo "SKIP: nvme_tcp has no debugfs counters (offload not built)"; exit 4; }

ethtool -K "$HOST_IF" $DDP on $CRC on >/dev/null ||
	{ echo "SKIP: $HOST_IF does not offer $DDP"; exit 4; }

session plain
session digest --data-digest
echo "device: $(ethtool -S "$HOST_IF" | grep ulp_ddp_ | tr -s ' ' | tr '\n' ' ')"
[ "$(topo_dstat sk_add)" -gt 0 ] || bad "device counted no socket"
[ "$(topo_dstat sk_add)" = "$(topo_dstat sk_del)" ] || bad "device sockets not all released"
[ "$(topo_dstat setup)" = "$(topo_dstat teardown)" ] || bad "device setups and teardowns differ"
[ "$(topo_dstat rx_crc_bytes)" -gt 0 ] || bad "device verified no digest"

# Offload off: same I/O, no offload counter moves.
ethtool -K "$HOST_IF" $DDP off >/dev/null
topo_connect || { echo "FAIL: connect with the offload off"; exit 1; }
setup0=$(topo_dstat setup)
run_fio off-128k 128k 4M 16
[ "$(hstat setup)" = 0 ] || bad "offload off: host set up requests"
[ "$(hstat bytes_placed)" = 0 ] || bad "offload off: host found bytes placed"
[ "$(topo_dstat setup)" = "$setup0" ] || bad "offload off: device set up requests"
grep -q ' ddp 1$' "$DBG/$NVME_CTRL" && bad "offload off: a queue is offloaded"
# a queue without the offload pays nothing for it, counters included
[ "$(hstat bytes_copied)" = 0 ] ||
	bad "offload off: host counted $(hstat bytes_copied) bytes copied"
topo_disconnect

[ $fail = 0 ] || exit 1
echo "PASS: nvme-tcp reads placed by the device and digests checked by it; nothing with the flag off"
