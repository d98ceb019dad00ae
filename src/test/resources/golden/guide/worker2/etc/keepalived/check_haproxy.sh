#!/bin/bash
# Rendered by kubeha for keepalived's vrrp_script check_haproxy.
# Fails when haproxy is not running or its local frontend 127.0.0.1:16443 does not accept a
# connection, so keepalived lowers this host's priority and the VIP moves; with the argument
# 'running' (vrrp_script haproxy_running) it checks only that haproxy runs. It never
# starts, restarts or kills anything.
pgrep -x haproxy >/dev/null || exit 1
[ "${1:-}" = running ] && exit 0
timeout 2 bash -c 'exec 3<>/dev/tcp/127.0.0.1/16443' 2>/dev/null || exit 2
exit 0
