# shellcheck shell=bash
# NVMe-TCP test topology inside the VM (sourced by the tests and the demo).
#
#   initial netns (host)                 netns $TGT_NS (target)
#   nvme-tcp host  --  netdevsim A  ==link==  netdevsim B  --  nvmet-tcp
#   192.0.2.1                                  192.0.2.2:4420  null_blk
#
# The host stays in the initial netns: nvme-tcp opens its reconnect sockets
# there. nvmet-tcp listens in the netns of the process that links the port.

TGT_NS=${TGT_NS:-nvtgt}
HOST_IP=192.0.2.1
TGT_IP=192.0.2.2
NVME_PORT=4420
SUBNQN=nqn.2026-01.org.example:ulpddp-test
HOSTNQN=nqn.2014-08.org.nvmexpress:uuid:5d1b3c3e-0000-4000-8000-000000000001
HOSTID=5d1b3c3e-0000-4000-8000-000000000001
NSIM_HOST_ID=${NSIM_HOST_ID:-11}
NSIM_TGT_ID=${NSIM_TGT_ID:-12}
NULLB=ulpddp0
NULLB_MB=${NULLB_MB:-256}
CFG=/sys/kernel/config
NSIM_BUS=/sys/bus/netdevsim

topo_log() { echo "topo: $*" >&2; }

# Name of the single port of netdevsim device $1 (looked up in netns $2).
nsim_ifname() {
	local id=$1 ns=${2:-}
	if [ -n "$ns" ]; then
		nsenter --net=/run/netns/"$ns" ls "$NSIM_BUS/devices/netdevsim$id/net/"
	else
		ls "$NSIM_BUS/devices/netdevsim$id/net/"
	fi
}

topo_net_up() {
	echo "$NSIM_HOST_ID 1" >"$NSIM_BUS/new_device" || return 1
	echo "$NSIM_TGT_ID 1" >"$NSIM_BUS/new_device" || return 1
	HOST_IF=$(nsim_ifname "$NSIM_HOST_ID")
	TGT_IF=$(nsim_ifname "$NSIM_TGT_ID")
	ip netns add "$TGT_NS" || return 1
	ip link set "$TGT_IF" netns "$TGT_NS" || return 1
	ip addr add "$HOST_IP/24" dev "$HOST_IF"
	ip link set "$HOST_IF" up
	nsenter --net=/run/netns/"$TGT_NS" ip addr add "$TGT_IP/24" dev "$TGT_IF"
	nsenter --net=/run/netns/"$TGT_NS" ip link set "$TGT_IF" up
	nsenter --net=/run/netns/"$TGT_NS" ip link set lo up

	local hfd tfd hidx tidx
	exec {hfd}</proc/self/ns/net
	exec {tfd}</run/netns/"$TGT_NS"
	# nsenter does not remount /sys: ask ip for the target's ifindex.
	hidx=$(ip -o link show dev "$HOST_IF" | cut -d: -f1)
	tidx=$(ip -n "$TGT_NS" -o link show dev "$TGT_IF" | cut -d: -f1)
	echo "$hfd:$hidx $tfd:$tidx" >"$NSIM_BUS/link_device"
	local rc=$?
	exec {hfd}<&- {tfd}<&-
	[ $rc = 0 ] || return 1
	topo_log "netdevsim $HOST_IF (host) <-> $TGT_IF (netns $TGT_NS) linked"
	ping -c 1 -W 5 "$TGT_IP" >/dev/null || { topo_log "no ping to $TGT_IP"; return 1; }
}

topo_target_up() {
	local nb=$CFG/nullb/$NULLB sub=$CFG/nvmet/subsystems/$SUBNQN port=$CFG/nvmet/ports/1
	mkdir "$nb" || return 1
	echo $((NULLB_MB)) >"$nb/size"
	echo 1 >"$nb/memory_backed"
	echo 4096 >"$nb/blocksize"
	echo 2 >"$nb/queue_mode"	# blk-mq
	echo 1 >"$nb/power" || return 1
	local dev=/dev/$(cat "$nb/index" 2>/dev/null | sed 's/^/nullb/')
	[ -b "$dev" ] || dev=/dev/$NULLB
	[ -b "$dev" ] || { topo_log "null_blk device for $NULLB not found"; return 1; }

	mkdir "$sub" || return 1
	echo 1 >"$sub/attr_allow_any_host"
	mkdir "$sub/namespaces/1"
	echo "$dev" >"$sub/namespaces/1/device_path"
	echo 1 >"$sub/namespaces/1/enable" || return 1
	mkdir "$port"
	echo tcp >"$port/addr_trtype"
	echo ipv4 >"$port/addr_adrfam"
	echo "$TGT_IP" >"$port/addr_traddr"
	echo "$NVME_PORT" >"$port/addr_trsvcid"
	# Linking from inside the target netns makes nvmet-tcp listen there.
	nsenter --net=/run/netns/"$TGT_NS" ln -s "$sub" "$port/subsystems/$SUBNQN" || return 1
	topo_log "nvmet-tcp target $SUBNQN on $TGT_IP:$NVME_PORT ($dev, ${NULLB_MB} MiB)"
}

# topo_connect [nvme-connect options...]: connect and set NVME_DEV.
topo_connect() {
	nvme connect -t tcp -a "$TGT_IP" -s "$NVME_PORT" -n "$SUBNQN" \
		--hostnqn="$HOSTNQN" --hostid="$HOSTID" "$@" >&2 || return 1
	local i blk
	# The namespace's block device (a multipath head or a plain namespace)
	# points at a device whose subsysnqn is ours.
	for i in $(seq 1 100); do
		for blk in /sys/block/nvme*; do
			case "${blk##*/}" in *c*) continue ;; esac
			[ "$(cat "$blk/device/subsysnqn" 2>/dev/null)" = "$SUBNQN" ] || continue
			NVME_DEV=/dev/${blk##*/}
			NVME_CTRL=$(basename "$(ls -d /sys/class/nvme/nvme* | while read -r c; do
				[ "$(cat "$c/subsysnqn")" = "$SUBNQN" ] && echo "$c"; done | head -n 1)")
			if [ -b "$NVME_DEV" ]; then
				topo_log "connected: controller $NVME_CTRL, namespace $NVME_DEV"
				return 0
			fi
		done
		sleep 0.1
	done
	topo_log "controller for $SUBNQN did not appear"
	return 1
}

# topo_dstat NAME: the host port's device counter ulp_ddp_NAME (ethtool -S)
topo_dstat() {
	ethtool -S "$HOST_IF" 2>/dev/null |
		awk -v k="ulp_ddp_$1:" '$1 == k { print $2 }'
}

topo_disconnect() {
	nvme disconnect -n "$SUBNQN" >/dev/null 2>&1
}

# Best effort: undo whatever part of the setup exists.
topo_down() {
	local sub=$CFG/nvmet/subsystems/$SUBNQN port=$CFG/nvmet/ports/1
	topo_disconnect
	rm -f "$port/subsystems/$SUBNQN" 2>/dev/null
	rmdir "$port" 2>/dev/null
	[ -d "$sub/namespaces/1" ] && echo 0 >"$sub/namespaces/1/enable" 2>/dev/null
	rmdir "$sub/namespaces/1" 2>/dev/null
	rmdir "$sub" 2>/dev/null
	if [ -d "$CFG/nullb/$NULLB" ]; then
		echo 0 >"$CFG/nullb/$NULLB/power" 2>/dev/null
		rmdir "$CFG/nullb/$NULLB" 2>/dev/null
	fi
	ip netns del "$TGT_NS" 2>/dev/null
	echo "$NSIM_TGT_ID" >"$NSIM_BUS/del_device" 2>/dev/null
	echo "$NSIM_HOST_ID" >"$NSIM_BUS/del_device" 2>/dev/null
	return 0
}

topo_up() {
	topo_net_up && topo_target_up && topo_connect "$@"
}
