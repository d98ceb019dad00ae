# kubeha facts probe: read-only, POSIX sh, runs as root. Every command is guarded, so a missing tool or file
# gives an empty answer (the key is left out), never a failure. kubeha puts these parameters in front of it:
#   KUBEHA_PORTS      TCP ports to report listeners for, space-separated
#   KUBEHA_MODULES    kernel modules to look for, space-separated
#   KUBEHA_SYSCTLS    optional sysctl keys (dotted) to look for
#   KUBEHA_ETCD_DATA  etcd's data directory
#   KUBEHA_MARKER     how the first line of every file kubeha renders begins
#   KUBEHA_ETCD_UNIT KUBEHA_HAPROXY_CFG KUBEHA_KEEPALIVED_CFG  paths of kubeha's etcd unit and LB configs
# and calls probe_host after it.
#
# Output: one key=value per line; keys marked * may repeat.
#   clock.start, clock.end  date +%s.%N when the probe starts and ends (the host's clock)
#   os.id, os.version, os.like  ID, VERSION_ID and ID_LIKE of /etc/os-release
#   pkg*            dpkg and/or rpm: the package managers present
#   kernel          uname -r
#   machine         uname -m (x86_64, aarch64, ...)
#   hostname        uname -n
#   cpus            nproc, else the processors in /proc/cpuinfo
#   mem.kb, swap.kb MemTotal and SwapTotal of /proc/meminfo
#   cgroup.fs       filesystem type of /sys/fs/cgroup: cgroup2fs (v2) or tmpfs (v1, hybrid)
#   machine-id      /etc/machine-id
#   product-uuid    /sys/class/dmi/id/product_uuid
#   container       the container manager when the probe runs in a container (systemd-nspawn, docker, lxc...)
#   pid1            the command name of PID 1 (/proc/1/comm)
#   addr*           IFNAME ADDRESS/PREFIX for every address of ip -o addr
#   containerd      first line of containerd --version
#   kubelet         first line of kubelet --version
#   module*         NAME HOW for each of KUBEHA_MODULES available: HOW is modinfo, sysfs (/sys/module/NAME), or
#                   builtin (modules.builtin, or =y in the kernel config)
#   sysctl*         KEY for each of KUBEHA_SYSCTLS present under /proc/sys, writable and not on a read-only mount
#   listen.source   ss, or proc when ss is missing or fails (/proc/net/tcp and tcp6)
#   listen*         PORT PROCESS for each listener on KUBEHA_PORTS; PROCESS is - when unknown
#   etcd.data       1 when KUBEHA_ETCD_DATA exists and is not empty
#   k8s.file*       PATH of existing Kubernetes state: a manifest in /etc/kubernetes/manifests, admin.conf, kubelet.conf
#   kubeha*         etcd-unit, haproxy, keepalived: that file exists and its first line begins with KUBEHA_MARKER
#   probe.end       1, the last line: the probe ran to its end

PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH
export LC_ALL=C

kv() {
    [ -n "$2" ] && printf '%s=%s\n' "$1" "$2"
    return 0
}

has() {
    command -v "$1" >/dev/null 2>&1
}

first_line() {
    [ -r "$1" ] && head -n 1 "$1" 2>/dev/null
}

os_release() {
    [ -r /etc/os-release ] || return 0
    sed -n "s/^$1=//p" /etc/os-release | head -n 1 | tr -d '"'"'"
}

cgroup_fs() {
    if has stat; then
        stat -fc %T /sys/fs/cgroup 2>/dev/null && return 0
    fi
    if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
        echo cgroup2fs
    elif [ -d /sys/fs/cgroup ]; then
        echo tmpfs
    fi
}

container_manager() {
    if has systemd-detect-virt; then
        v=$(systemd-detect-virt -c 2>/dev/null)
        [ -n "$v" ] && [ "$v" != none ] && echo "$v" && return 0
    fi
    first_line /run/systemd/container
}

cpus() {
    if has nproc; then
        nproc 2>/dev/null && return 0
    fi
    [ -r /proc/cpuinfo ] && grep -c '^processor' /proc/cpuinfo 2>/dev/null
}

meminfo_kb() {
    [ -r /proc/meminfo ] && sed -n "s/^$1:[[:space:]]*\([0-9]*\) kB$/\1/p" /proc/meminfo | head -n 1
}

addresses() {
    has ip || return 0
    ip -o addr show 2>/dev/null | while read -r idx ifname family cidr rest; do
        case "$family" in inet|inet6) ;; *) continue ;; esac
        printf 'addr=%s %s\n' "${ifname%%@*}" "$cidr"
    done
}

# The kernel config symbol of a module, for modules built into the kernel (they have no .ko and often no sysfs entry).
config_symbol() {
    case "$1" in
        overlay) echo OVERLAY_FS ;;
        br_netfilter) echo BRIDGE_NETFILTER ;;
        nf_tables) echo NF_TABLES ;;
        nf_conntrack) echo NF_CONNTRACK ;;
        nf_conntrack_ipv4) echo NF_CONNTRACK_IPV4 ;;
        ip_vs) echo IP_VS ;;
        ip_vs_rr) echo IP_VS_RR ;;
        ip_vs_wrr) echo IP_VS_WRR ;;
        ip_vs_sh) echo IP_VS_SH ;;
    esac
}

builtin_module() {
    list="/lib/modules/$(uname -r)/modules.builtin"
    if [ -r "$list" ] && grep -q "/$1\.ko\$" "$list"; then
        return 0
    fi
    symbol=$(config_symbol "$1")
    [ -n "$symbol" ] || return 1
    if [ -r /proc/config.gz ] && has zcat; then
        zcat /proc/config.gz 2>/dev/null | grep -qx "CONFIG_$symbol=y" && return 0
    fi
    [ -r "/boot/config-$(uname -r)" ] && grep -qx "CONFIG_$symbol=y" "/boot/config-$(uname -r)"
}

modules() {
    for m in $KUBEHA_MODULES; do
        if has modinfo && modinfo -F filename "$m" >/dev/null 2>&1; then
            printf 'module=%s modinfo\n' "$m"
        elif [ -d "/sys/module/$m" ]; then
            printf 'module=%s sysfs\n' "$m"
        elif builtin_module "$m"; then
            printf 'module=%s builtin\n' "$m"
        fi
    done
}

on_writable_mount() {
    [ -r /proc/self/mountinfo ] || return 0
    best=; best_opts=
    while read -r id parent dev root mnt opts rest; do
        case "$1/" in "${mnt%/}"/*) ;; *) continue ;; esac
        if [ ${#mnt} -ge ${#best} ]; then
            best=$mnt
            best_opts=$opts
        fi
    done < /proc/self/mountinfo
    case ",$best_opts," in *,ro,*) return 1 ;; esac
    return 0
}

sysctls() {
    for key in $KUBEHA_SYSCTLS; do
        path=/proc/sys/$(printf '%s' "$key" | tr . /)
        [ -f "$path" ] && [ -w "$path" ] && on_writable_mount "$path" && printf 'sysctl=%s\n' "$key"
    done
    return 0
}

wanted_port() {
    case " $KUBEHA_PORTS " in *" $1 "*) return 0 ;; esac
    return 1
}

listeners_from_ss() {
    while read -r state recvq sendq laddr peer procs; do
        [ "$state" = LISTEN ] || continue
        port=${laddr##*:}
        wanted_port "$port" || continue
        proc=$(printf '%s\n' "$procs" | sed -n 's/^users:(("\([^"]*\)".*/\1/p')
        printf 'listen=%s %s\n' "$port" "${proc:--}"
    done
}

socket_owner() {
    has find || return 0
    fd=$(find /proc/[0-9]*/fd -lname "socket:\\[$1\\]" 2>/dev/null | head -n 1)
    [ -n "$fd" ] || return 0
    pid=${fd#/proc/}
    first_line "/proc/${pid%%/*}/comm"
}

listeners_from_proc() {
    for table in /proc/net/tcp /proc/net/tcp6; do
        [ -r "$table" ] || continue
        while read -r sl laddr raddr st queues timer retransmits uid timeout inode rest; do
            [ "$st" = 0A ] || continue
            port=$((0x${laddr##*:}))
            wanted_port "$port" || continue
            proc=$(socket_owner "$inode")
            printf 'listen=%s %s\n' "$port" "${proc:--}"
        done < "$table"
    done
}

listeners() {
    if has ss && table=$(ss -tlnp 2>/dev/null); then
        echo listen.source=ss
        printf '%s\n' "$table" | listeners_from_ss
    else
        echo listen.source=proc
        listeners_from_proc
    fi
}

kubernetes_files() {
    for f in /etc/kubernetes/manifests/*.yaml /etc/kubernetes/admin.conf /etc/kubernetes/kubelet.conf; do
        [ -f "$f" ] && printf 'k8s.file=%s\n' "$f"
    done
    return 0
}

kubeha_file() {
    case "$(first_line "$2")" in "$KUBEHA_MARKER"*) printf 'kubeha=%s\n' "$1" ;; esac
    return 0
}

probe_host() {
    kv clock.start "$(date +%s.%N 2>/dev/null)"
    kv os.id "$(os_release ID)"
    kv os.version "$(os_release VERSION_ID)"
    kv os.like "$(os_release ID_LIKE)"
    has dpkg && echo pkg=dpkg
    has rpm && echo pkg=rpm
    kv kernel "$(uname -r 2>/dev/null)"
    kv machine "$(uname -m 2>/dev/null)"
    kv hostname "$(uname -n 2>/dev/null)"
    kv cpus "$(cpus)"
    kv mem.kb "$(meminfo_kb MemTotal)"
    kv swap.kb "$(meminfo_kb SwapTotal)"
    kv cgroup.fs "$(cgroup_fs)"
    kv machine-id "$(first_line /etc/machine-id)"
    kv product-uuid "$(first_line /sys/class/dmi/id/product_uuid)"
    kv container "$(container_manager)"
    kv pid1 "$(first_line /proc/1/comm)"
    addresses
    has containerd && kv containerd "$(containerd --version 2>/dev/null | head -n 1)"
    has kubelet && kv kubelet "$(kubelet --version 2>/dev/null | head -n 1)"
    modules
    sysctls
    listeners
    [ -n "$KUBEHA_ETCD_DATA" ] && [ -n "$(ls -A "$KUBEHA_ETCD_DATA" 2>/dev/null)" ] && echo etcd.data=1
    kubernetes_files
    kubeha_file etcd-unit "$KUBEHA_ETCD_UNIT"
    kubeha_file haproxy "$KUBEHA_HAPROXY_CFG"
    kubeha_file keepalived "$KUBEHA_KEEPALIVED_CFG"
    kv clock.end "$(date +%s.%N 2>/dev/null)"
    echo probe.end=1
}
