package dev.kubeha.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** What kubeha leaves on every host that its probe looks for again: its own files and its optional kernel settings. */
public final class HostLayout {
    public static final String ETCD_UNIT = "/etc/systemd/system/etcd.service";
    public static final String HAPROXY_CONFIG = "/etc/haproxy/haproxy.cfg";
    public static final String KEEPALIVED_CONFIG = "/etc/keepalived/keepalived.conf";
    /** Sysctl keys and values written only when the host's facts list the key as present under /proc/sys. */
    public static final Map<String, String> OPTIONAL_SYSCTLS;

    static {
        Map<String, String> sysctls = new LinkedHashMap<>();
        sysctls.put("vm.panic_on_oom", "0");
        sysctls.put("fs.inotify.max_user_watches", "524288");
        sysctls.put("fs.inotify.max_user_instances", "8192");
        sysctls.put("fs.may_detach_mounts", "1");
        sysctls.put("net.ipv4.netfilter.ip_conntrack_max", "65536");
        OPTIONAL_SYSCTLS = Collections.unmodifiableMap(sysctls);
    }

    private HostLayout() {
    }
}
