package dev.kubeha.render;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.EtcdBackup;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * etcd.backup on every external etcd member: a script that saves a snapshot with the member's own client pair into a
 * local 0700 directory and keeps the newest {@code keep}, the oneshot service that runs it and the timer.
 */
public final class EtcdSnapshotTimer {
    public static final String UNIT = "kubeha-etcd-snapshot";
    public static final String SCRIPT = "/usr/local/sbin/" + UNIT;
    public static final String SERVICE = "/etc/systemd/system/" + UNIT + ".service";
    public static final String TIMER = "/etc/systemd/system/" + UNIT + ".timer";
    public static final String DIR = "/var/lib/kubeha/etcd-snapshots";
    private static final Pattern SCHEDULE = Pattern.compile("[A-Za-z0-9*:/.,~-]+( [A-Za-z0-9*:/.,~-]+)*");

    private EtcdSnapshotTimer() {
    }

    /** The three files per member; none with stacked etcd or without etcd.backup. */
    public static List<RenderedFile> render(ClusterSpec spec) {
        EtcdBackup backup = spec.etcd().backup();
        List<RenderedFile> out = new ArrayList<>();
        if (!backup.enabled() || spec.stackedEtcd()) {
            return out;
        }
        if (backup.keep() < 1 || backup.keep() > EtcdBackup.MAX_KEEP) {
            throw new RenderException("etcd.backup.keep: " + backup.keep() + " is outside 1-" + EtcdBackup.MAX_KEEP);
        }
        if (!SCHEDULE.matcher(backup.schedule()).matches()) {
            throw new RenderException("etcd.backup.schedule: '" + backup.schedule() + "' cannot be written into a"
                    + " timer as OnCalendar=");
        }
        String timer = "[Unit]\nDescription=kubeha: etcd snapshots of this member\n\n[Timer]\nOnCalendar="
                + SystemdUnits.text(backup.schedule()) + "\nPersistent=true\n\n[Install]\nWantedBy=timers.target\n";
        String service = "[Unit]\nDescription=kubeha: a snapshot of this etcd member into " + DIR + ", keeping the"
                + " newest " + backup.keep() + "\nAfter=etcd.service\n\n[Service]\nType=oneshot\nExecStart="
                + SCRIPT + "\n";
        for (HostSpec member : spec.hostsWith(Role.ETCD)) {
            out.add(RenderedFile.text(member.name(), SCRIPT, 0755, script(spec, member, backup.keep())));
            out.add(RenderedFile.text(member.name(), SERVICE, 0644, service));
            out.add(RenderedFile.text(member.name(), TIMER, 0644, timer));
        }
        return out;
    }

    private static String script(ClusterSpec spec, HostSpec member, int keep) {
        String etcdctl = EtcdFiles.etcdctl(spec, EtcdUnit.clientUrl(member),
                EtcdFiles.cert(spec, EtcdUnit.SERVER_BASE_NAME), EtcdFiles.key(spec, EtcdUnit.SERVER_BASE_NAME))
                .replace("--command-timeout=5s", "--command-timeout=5m");
        return "#!/bin/sh\n"
                + "# Rendered by kubeha: a snapshot of this etcd member (its own client pair) into " + DIR + ",\n"
                + "# keeping the newest " + keep + "; run by " + UNIT + ".timer.\n"
                + "set -eu\n"
                + "umask 077\n"
                + "dir=" + DIR + "\n"
                + "install -d -m 0700 \"$dir\"\n"
                + "rm -f \"$dir\"/*.part\n"
                + "name=\"$dir/etcd-$(date -u +%Y%m%dT%H%M%SZ).db\"\n"
                + etcdctl + " snapshot save \"$name.part\" >/dev/null\n"
                + "mv \"$name.part\" \"$name\"\n"
                + "ls -1 \"$dir\"/etcd-*.db | sort -r | tail -n +" + (keep + 1) + " | xargs -r rm -f --\n";
    }
}
