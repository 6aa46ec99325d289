#!/bin/bash
# Smoke test: nvme-tcp host -> linked netdevsim pair -> nvmet-tcp target on
# null_blk in another netns; fio writes a pattern and reads it back verified.
# Runs inside the test VM (scripts/vm). Exit 0 pass, 1 fail, 4 skip.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/nvme-topo.sh"

for t in nvme fio nsenter ip; do
	command -v "$t" >/dev/null || { echo "SKIP: $t not installed"; exit 4; }
done
[ -w "$NSIM_BUS/new_device" ] || { echo "SKIP: netdevsim not in this kernel"; exit 4; }

trap topo_down EXIT
topo_up || { echo "FAIL: topology setup"; exit 1; }

fail=0
for spec in 4k:4M 128k:32M; do
	bs=${spec%%:*} size=${spec#*:}
	out=$(fio --name=smoke-$bs --filename="$NVME_DEV" --direct=1 \
		--ioengine=libaio --iodepth=16 --rw=write --bs=$bs --size=$size \
		--verify=crc32c --verify_fatal=1 --do_verify=1 2>&1)
	rc=$?
	if [ $rc != 0 ] || echo "$out" | grep -q 'verify: bad\|err= *[1-9]'; then
		echo "$out" | tail -n 20
		echo "FAIL: fio write+verify bs=$bs (exit $rc)"
		fail=1
	else
		echo "fio bs=$bs: $(echo "$out" | grep -E '^ +(READ|WRITE):' | sed 's/^ *//' | tr '\n' ' ')"
	fi
done
[ $fail = 0 ] || exit 1
echo "PASS: nvme-tcp read with verify over linked netdevsim"
