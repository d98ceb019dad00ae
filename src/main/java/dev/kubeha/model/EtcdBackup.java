package dev.kubeha.model;

/**
 * The local snapshots a systemd timer takes on every external etcd member ({@code etcd.backup} in the answers).
 *
 * @param schedule a systemd OnCalendar expression; empty: no timer
 * @param keep how many snapshots each member keeps, the newest
 */
public record EtcdBackup(String schedule, int keep) {
    public static final EtcdBackup NONE = new EtcdBackup("", 0);
    public static final int DEFAULT_KEEP = 7;
    public static final int MAX_KEEP = 100;

    public boolean enabled() {
        return !schedule.isEmpty();
    }
}
