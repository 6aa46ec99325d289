#!/bin/bash
# 'make demo', inside the VM: bring up NVMe-TCP over a linked netdevsim pair,
# read with fio (verified) and show throughput and the offload counters.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/nvme-topo.sh"

trap topo_down EXIT
topo_net_up && topo_target_up || { echo "demo: topology setup failed"; exit 1; }

echo
# The flag is read when nvme-tcp starts a queue: turn it on before connecting.
echo "== offload on $HOST_IF:"
# The feature exists once the core is in; the device offers it when it is
# not "[fixed]" off.
feat=$(ethtool -k "$HOST_IF" 2>/dev/null | grep '^ulp-ddp')
if [ -n "$feat" ] && ! echo "$feat" | grep -q '^ulp-ddp-hw-rx-offload: off \[fixed\]'; then
	ethtool -K "$HOST_IF" ulp-ddp-hw-rx-offload on 2>/dev/null
	ethtool -K "$HOST_IF" ulp-ddp-crc-hw-rx-offload on 2>/dev/null
	ethtool -k "$HOST_IF" | grep '^ulp-ddp'
	DDP=1
else
	[ -n "$feat" ] && echo "$feat" | sed 's/^/   /'
	echo "   ULP DDP offload is not available on $HOST_IF"
	DDP=0
fi
# ulp_nl ARGS...: the ulp_ddp netlink family through the tree's ynl, when
# the series has it
LINUX=$here/../build/linux
ULP_SPEC=$LINUX/Documentation/netlink/specs/ulp_ddp.yaml
ulp_nl()
{
	python3 "$LINUX/tools/net/ynl/cli.py" --no-schema \
		--spec "$ULP_SPEC" "$@" 2>&1 | sed 's/^/     /'
}
if [ $DDP = 1 ] && [ -f "$ULP_SPEC" ]; then
	idx=$(cat /sys/class/net/"$HOST_IF"/ifindex)
	echo "   capabilities (ulp_ddp netlink family, caps-get):"
	ulp_nl --do caps-get --json "{\"ifindex\": $idx}"
fi
echo
topo_connect || { echo "demo: nvme connect failed"; exit 1; }

size=${DEMO_SIZE:-128M}
echo
echo "== fio: write $size pattern, then read it back with verify (bs=128k, qd=32)"
fio --name=fill --filename="$NVME_DEV" --direct=1 --ioengine=libaio \
	--iodepth=32 --rw=write --bs=128k --size="$size" --verify=crc32c \
	--do_verify=0 >/dev/null || { echo "demo: fio write failed"; exit 1; }
fio --name=fill --filename="$NVME_DEV" --direct=1 --ioengine=libaio \
	--iodepth=32 --rw=write --bs=128k --size="$size" --verify=crc32c \
	--verify_only=1 --verify_fatal=1 --output-format=json >/run/demo-fio.json ||
	{ echo "demo: fio read/verify failed"; exit 1; }
python3 - /run/demo-fio.json <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))["jobs"][0]["read"]
mib = j["io_bytes"] / 2**20
print(f"   read {mib:.0f} MiB verified, {j['bw_bytes'] / 2**20:.1f} MiB/s, "
      f"{j['iops']:.0f} IOPS, p50 {j['clat_ns']['percentile']['50.000000'] / 1000:.0f} us, "
      f"p99 {j['clat_ns']['percentile']['99.000000'] / 1000:.0f} us")
PY

echo
echo "== offload counters"
if [ $DDP = 1 ]; then
	echo "   device ($HOST_IF, ethtool -S):"
	ethtool -S "$HOST_IF" | grep -E 'ulp_ddp' | sed 's/^ */     /' ||
		echo "     (no ulp_ddp statistics)"
	if [ -f "$ULP_SPEC" ]; then
		echo "   device ($HOST_IF, ulp_ddp netlink family, stats-get):"
		ulp_nl --do stats-get --json "{\"ifindex\": $idx}"
	fi
	f=/sys/kernel/debug/nvme_tcp/$NVME_CTRL
	if [ -r "$f" ]; then
		echo "   host ($f, summed over the I/O queues):"
		awk '{ s[$2] += $3 } END { for (k in s) printf "     %-18s %d\n", k, s[k] }' "$f" | sort
		awk '{ s[$2] += $3 } END {
			r = s["bytes_placed"] + s["bytes_copied"]
			if (r) printf "   host bytes copied per byte read: %.4f\n", s["bytes_copied"] / r }' "$f"
	fi
else
	echo "   none: offload not available (placed 0 B, copied all, CRC offloaded 0 B, resyncs 0)"
fi
