#!/bin/bash
# 'make bench', inside the VM: one kernel's figures, as raw CSV rows in
# $RESULTS (one row per measurement; bench/report aggregates and plots).
#
# usage: bench/vm-bench.sh series|base
#
#   series  the patched kernel: the fio matrix with the offload on and off
#           (interleaved, REPEAT times), placement under netem loss and on
#           a device whose command-id table is the queue's depth, and
#           iperf3 over the same netdevsim pair with the offload off, on,
#           and on with an offloaded nvme-tcp socket open beside it
#   base    the unpatched kernel: the fio matrix (no offload to turn on),
#           which the series' offload-off rows are compared with, and
#           iperf3
#
# Environment: REPEAT (3), RUNTIME seconds per fio run (3), QUICK=1 for a
# small matrix (seq read, 4k/64k/1M, qd 1/32, 1 job), ONLY=fio or
# ONLY=iperf for one part (bench/run boots a fresh VM for each, so that
# iperf3 runs under the same conditions on both kernels), IPERF_REPEAT (5)
# iperf3 runs per case numbered from IPERF_FIRST (1);
# ONLY=profile: perf profiles of one read with the offload off and on,
# digest off and on (bench/profile).
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../tests/lib/nvme-topo.sh"

mode=${1:?usage: vm-bench.sh series|base}
res=${RESULTS:-/run/results}
REPEAT=${REPEAT:-3}
RUNTIME=${RUNTIME:-3}
DDP=ulp-ddp-hw-rx-offload
CRC=ulp-ddp-crc-hw-rx-offload
HDBG=/sys/kernel/debug/nvme_tcp
kernel=$mode

if [ "${QUICK:-0}" = 1 ]; then
	RWS="read" BSS="4k 64k 1m" QDS="1 32" JOBS="1"
else
	RWS="read randread" BSS="4k 16k 64k 256k 1m" QDS="1 32" JOBS="1 2"
fi
LOSSES="0 0.01% 0.1% 1%"

log() { echo "bench: $*" >&2; }
die() { echo "FAIL: bench: $*"; exit 1; }

for t in fio nvme ethtool iperf3 python3 nsenter tc; do
	command -v $t >/dev/null || die "$t not installed (make deps)"
done

# busy CPU time of the whole VM so far, in ms (USER_HZ ticks of 10 ms)
cpu_busy_ms() {
	awk '$1 == "cpu" { printf "%.0f\n", ($2 + $3 + $4 + $7 + $8 + $9) * 10 }' /proc/stat
}

# ns the emulated device spent on offloaded packets (netdevsim's own work)
dev_ns() {
	cat "/sys/kernel/debug/netdevsim/netdevsim$NSIM_HOST_ID/ports/0/ulp_ddp/dma_ns" \
		2>/dev/null || echo 0
}

# host counters summed over the I/O queues, as "name=value ..."
hcounters() {
	awk '{ s[$2] += $3 } END { for (k in s) printf "%s=%.0f ", k, s[k] }' \
		"$HDBG/$NVME_CTRL" 2>/dev/null
}

offload() {
	ethtool -K "$HOST_IF" $DDP "$1" $CRC "$1" >/dev/null ||
		die "ethtool -K $HOST_IF $DDP $1"
}

connect() {
	local tries
	for tries in 1 2 3; do
		topo_connect "$@" 2>/dev/null && return 0
		topo_disconnect
		sleep 1
	done
	die "nvme connect $*"
}

# fio_row REP DIGEST OFFLOAD RW BS QD JOBS: one measurement, one CSV row
fio_row() {
	local rep=$1 dg=$2 off=$3 rw=$4 bs=$5 qd=$6 nj=$7
	local c0 c1 d0 d1 h0 h1 json=/tmp/bench-fio.json

	h0=$(hcounters)
	d0=$(dev_ns)
	c0=$(cpu_busy_ms)
	fio --name=b --filename="$NVME_DEV" --direct=1 --ioengine=libaio \
		--allow_file_create=0 --rw="$rw" --bs="$bs" --iodepth="$qd" \
		--numjobs="$nj" --group_reporting --time_based \
		--runtime="$RUNTIME" --output-format=json --output="$json" \
		>/dev/null 2>&1 || { log "fio $rw $bs qd$qd x$nj failed"; return 1; }
	c1=$(cpu_busy_ms)
	d1=$(dev_ns)
	h1=$(hcounters)
	"$here/csvrow" fio "$json" "$kernel,$rep,$dg,$off,$rw,$bs,$qd,$nj" \
		"$((c1 - c0))" "$(((d1 - d0) / 1000000))" "$h0" "$h1" \
		>> "$res/fio.csv"
}

fio_matrix() {
	local rep dg off rw bs qd nj opt offs="on off"

	# the base kernel has no offload: its rows are the stock path
	[ "$mode" = base ] && offs=off
	echo "kernel,rep,digest,offload,rw,bs,iodepth,numjobs,runtime_s,bytes,mib_s,iops,p50_us,p99_us,cpu_busy_ms,dev_ms,host_copied,host_placed,crc_host,crc_dev,setups,resync_req" \
		> "$res/fio.csv"
	for rep in $(seq "$REPEAT"); do
		for dg in off on; do
			opt=
			[ $dg = on ] && opt=--data-digest
			for off in $offs; do
				[ "$mode" = series ] && offload $off
				connect $opt
				log "rep $rep digest $dg offload $off: $NVME_CTRL"
				for rw in $RWS; do
				for bs in $BSS; do
				for qd in $QDS; do
				for nj in $JOBS; do
					fio_row "$rep" $dg $off $rw "$bs" "$qd" "$nj"
				done
				done
				done
				done
				topo_disconnect
			done
		done
	done
}

loss_matrix() {
	local rep loss h0 h1 r0 r1 json=/tmp/bench-loss.json

	echo "kernel,rep,loss,bytes,mib_s,host_placed,host_copied,dev_resync_req,host_resync_match,host_resync_miss" \
		> "$res/loss.csv"
	offload on
	connect
	for rep in $(seq "$REPEAT"); do
		for loss in $LOSSES; do
			[ "$loss" != 0 ] && nsenter --net=/run/netns/"$TGT_NS" \
				tc qdisc add dev "$TGT_IF" root netem loss "$loss"
			h0=$(hcounters)
			r0=$(topo_dstat resync_req)
			fio --name=l --filename="$NVME_DEV" --direct=1 \
				--ioengine=libaio --allow_file_create=0 --rw=read \
				--bs=64k --iodepth=32 --time_based \
				--runtime=$((RUNTIME * 2)) --output-format=json \
				--output="$json" >/dev/null 2>&1 ||
				log "fio under loss $loss failed"
			r1=$(topo_dstat resync_req)
			h1=$(hcounters)
			[ "$loss" != 0 ] && nsenter --net=/run/netns/"$TGT_NS" \
				tc qdisc del dev "$TGT_IF" root
			"$here/csvrow" loss "$json" "$kernel,$rep,$loss" \
				"$((r1 - r0))" "$h0" "$h1" >> "$res/loss.csv"
		done
	done
	topo_disconnect
}

# cid_matrix: a device whose command-id table is sized by the queue depth
# (netdevsim max_cid = queue size - 1) against one with the full range:
# bytes placed of a 64k qd32 read (nvme-tcp leaves the generation counter
# out of its command ids on such a device, so that the reads fit)
cid_matrix() {
	local rep maxcid h0 h1 json=/tmp/bench-cid.json
	local knob=/sys/kernel/debug/netdevsim/netdevsim$NSIM_HOST_ID/ports/0/ulp_ddp/max_cid

	echo "kernel,rep,max_cid,queue_size,bytes,mib_s,host_placed,host_copied,fallback_cid,setups" \
		> "$res/cid.csv"
	offload on
	for rep in $(seq "$REPEAT"); do
		for maxcid in 65535 127; do
			echo "$maxcid" > "$knob" || die "netdevsim max_cid knob"
			connect -Q 128
			h0=$(hcounters)
			fio --name=c --filename="$NVME_DEV" --direct=1 \
				--ioengine=libaio --allow_file_create=0 --rw=read \
				--bs=64k --iodepth=32 --time_based \
				--runtime="$RUNTIME" --output-format=json \
				--output="$json" >/dev/null 2>&1 ||
				log "fio with max_cid $maxcid failed"
			h1=$(hcounters)
			topo_disconnect
			"$here/csvrow" cid "$json" "$kernel,$rep,$maxcid,128" \
				"$h0" "$h1" >> "$res/cid.csv"
		done
	done
	echo 65535 > "$knob"
}

# iperf_row REP CASE: iperf3 from the host to the target's netns
iperf_row() {
	local c0 c1 json=/tmp/bench-iperf.json

	c0=$(cpu_busy_ms)
	iperf3 -c "$TGT_IP" -t $((RUNTIME * 2)) -J > "$json" 2>/dev/null ||
		{ log "iperf3 $2 failed"; return 1; }
	c1=$(cpu_busy_ms)
	"$here/csvrow" iperf "$json" "$kernel,$1,$2" "$((c1 - c0))" \
		>> "$res/iperf.csv"
}

iperf_matrix() {
	local rep pid

	echo "kernel,rep,case,bytes,gbit_s,cpu_busy_ms,iperf_host_cpu_pct,iperf_remote_cpu_pct" \
		> "$res/iperf.csv"
	nsenter --net=/run/netns/"$TGT_NS" iperf3 -s -D -I /tmp/iperf3.pid ||
		die "iperf3 server"
	sleep 1
	for rep in $(seq "${IPERF_FIRST:-1}" \
			$((${IPERF_FIRST:-1} + ${IPERF_REPEAT:-5} - 1))); do
		if [ "$mode" = base ]; then
			iperf_row "$rep" base
			continue
		fi
		offload off
		iperf_row "$rep" series-off
		offload on
		iperf_row "$rep" series-on
		# an offloaded nvme-tcp socket beside the flow
		connect
		grep -q ' ddp 1$' "$HDBG/$NVME_CTRL" ||
			log "nvme-tcp queue not offloaded beside iperf3"
		iperf_row "$rep" series-on-other
		topo_disconnect
	done
	pid=$(cat /tmp/iperf3.pid 2>/dev/null) && kill "$pid"
}

# context switches, and TCP segments in and out of the host's netns, as
# "name=value ..."
profile_counts() {
	awk '$1 == "ctxt" { printf "ctxt=%s ", $2 }' /proc/stat
	awk '$1 == "Tcp:" && $2 ~ /^[0-9]/ {
		printf "host_tcp_in_segs=%s host_tcp_out_segs=%s\n", $11, $12 }' \
		/proc/net/snmp
}

# profile_case DIGEST OFFLOAD REP: where the VM's CPU time goes during one 64k
# qd32 read (perf's cpu-clock samples with call chains, all CPUs, kernel
# and user); bench/profile sorts the samples into parts of the stack
profile_case() {
	local dg=$1 off=$2 name=profile-$1-$2-$3 data=/tmp/perf.data
	local json=/tmp/bench-prof.json opt= t0 t1 c0 c1

	[ "$dg" = on ] && opt=--data-digest
	offload "$off"
	connect $opt
	log "profile: digest $dg, offload $off: $NVME_CTRL"
	c0=$(profile_counts)
	t0=$(date +%s%N)
	perf record -q -N -a -g -F 999 -e cpu-clock -o "$data" -- \
		fio --name=p --filename="$NVME_DEV" --direct=1 \
		--ioengine=libaio --allow_file_create=0 --rw=read --bs=64k \
		--iodepth=32 --time_based --runtime=$((RUNTIME * 3)) \
		--output-format=json --output="$json" >/dev/null 2>&1 ||
		die "perf record fio (digest $dg, offload $off)"
	t1=$(date +%s%N)
	c1=$(profile_counts)
	topo_disconnect
	"$here/csvrow" profile "$json" "$(((t1 - t0) / 1000000))" "$(nproc)" \
		"$c0" "$c1" > "$res/$name.txt"
	perf script -i "$data" -F comm,ip,sym 2>/dev/null | gzip > "$res/$name.script.gz"
	rm -f "$data"
}

trap topo_down EXIT
topo_net_up && topo_target_up || die "topology setup"
{
	echo "kernel: $(uname -a)"
	echo "cpus: $(nproc), $(grep -m1 'model name' /proc/cpuinfo)"
	echo "virt: $(grep -q hypervisor /proc/cpuinfo && echo guest)" \
	     "$(dmesg | grep -m1 -o 'Hypervisor detected: .*')"
	echo "repeat $REPEAT, fio runtime ${RUNTIME}s, quick ${QUICK:-0}"
} > "$res/vm-$mode.txt"
if [ "${ONLY:-}" = profile ]; then
	command -v perf >/dev/null || die "perf not installed (make deps)"
	for rep in $(seq "$REPEAT"); do
		for dg in off on; do
			profile_case $dg off "$rep"
			profile_case $dg on "$rep"
		done
	done
	echo "PASS: bench profile"
	exit 0
fi
if [ "$mode" = series ] && [ "${ONLY:-}" != iperf ]; then
	[ -d "$HDBG" ] || die "this kernel has no nvme_tcp offload counters"
	fio_matrix
	loss_matrix
	cid_matrix
elif [ "${ONLY:-}" = fio ]; then
	fio_matrix
fi
[ "${ONLY:-}" = fio ] || iperf_matrix
echo "PASS: bench $mode"
