package dev.kubeha.validate;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.EtcdBackup;
import java.util.regex.Pattern;

/**
 * etcd.backup: only with external etcd members (stacked etcd has no member kubeha installs a timer on), a schedule
 * made of systemd OnCalendar's words, dates and times only, and a count of snapshots to keep within 1-100.
 */
final class EtcdBackupRules implements Rule {
    static final int MAX_SCHEDULE = 64;
    private static final String DAY = "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun|Monday|Tuesday|Wednesday|Thursday|Friday"
            + "|Saturday|Sunday)";
    private static final Pattern SHORTHAND = Pattern.compile(
            "minutely|hourly|daily|weekly|monthly|yearly|annually|quarterly|semiannually");
    private static final Pattern TOKEN = Pattern.compile(DAY + "(?:(?:,|\\.\\.)" + DAY + ")*"
            + "|[0-9*][0-9*/,.~:-]*|UTC");

    @Override
    public void check(ClusterSpec spec, Problems out) {
        EtcdBackup backup = spec.etcd().backup();
        if (!backup.enabled()) {
            return;
        }
        if (spec.stackedEtcd()) {
            out.error("etcd.backup", "needs external etcd members (hosts with the etcd role): with stacked etcd,"
                    + " kubeadm runs etcd on the control planes and kubeha installs no timer there; remove it");
            return;
        }
        if (!isSchedule(backup.schedule())) {
            out.error("etcd.backup.schedule", "'" + backup.schedule() + "' is not a schedule kubeha accepts: a"
                    + " systemd OnCalendar expression of at most " + MAX_SCHEDULE + " characters made of a shorthand"
                    + " (hourly, daily, weekly...), weekdays (Mon..Fri), dates and times (*-*-* 03:00:00) and UTC");
        }
        if (backup.keep() < 1 || backup.keep() > EtcdBackup.MAX_KEEP) {
            out.error("etcd.backup.keep", backup.keep() + " is outside 1-" + EtcdBackup.MAX_KEEP
                    + ": the number of snapshots each etcd member keeps");
        }
    }

    /** Words, dates and times of OnCalendar only, one space apart; systemd-analyze calendar decides the rest. */
    static boolean isSchedule(String text) {
        if (text.isEmpty() || text.length() > MAX_SCHEDULE) {
            return false;
        }
        if (SHORTHAND.matcher(text).matches()) {
            return true;
        }
        for (String token : text.split(" ", -1)) {
            if (!TOKEN.matcher(token).matches()) {
                return false;
            }
        }
        return true;
    }
}
