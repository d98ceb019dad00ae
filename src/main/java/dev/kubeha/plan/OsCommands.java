package dev.kubeha.plan;

import dev.kubeha.model.ShellQuote;
import dev.kubeha.facts.OsFamily;
import java.util.List;
import java.util.stream.Collectors;

/** Shell commands that differ between OS families: packages, firewall, services. */
public final class OsCommands {
    private OsCommands() {
    }

    /** Installs packages unless every one is installed already. */
    public static RunCommand installPackages(OsFamily family, List<String> packages) {
        String names = packages.stream().map(ShellQuote::quote).collect(Collectors.joining(" "));
        return switch (family) {
            case DEBIAN -> RunCommand.unless(
                    "for p in " + names + "; do dpkg-query -W -f='${Status}' \"$p\" 2>/dev/null"
                            + " | grep -q 'ok installed' || exit 1; done", install(family, packages));
            case RHEL -> RunCommand.unless("rpm -q " + names + " >/dev/null", install(family, packages));
        };
    }

    /** The install command alone; on apt hosts without package lists it fetches them first. */
    public static String install(OsFamily family, List<String> packages) {
        String names = packages.stream().map(ShellQuote::quote).collect(Collectors.joining(" "));
        return packageManager(switch (family) {
            case DEBIAN -> "export DEBIAN_FRONTEND=noninteractive; { ls /var/lib/apt/lists/*_Packages >/dev/null 2>&1"
                    + " || apt-get update -q; } && apt-get install -y -q --no-install-recommends " + names;
            case RHEL -> "dnf install -y -q " + names;
        });
    }

    /**
     * Runs a package manager command under kubeha's lock on the host (waiting up to 15 minutes for it; the shell that
     * runs it holds the lock until it exits), so that the lanes of one host's work (the load balancer's packages beside
     * Kubernetes' packages) take turns with apt or dnf instead of failing on its lock.
     */
    public static String packageManager(String command) {
        return "exec 9>" + PACKAGE_LOCK + " && flock -w 900 9 || exit 1; " + command;
    }

    /** The lock file {@link #packageManager} holds. */
    static final String PACKAGE_LOCK = "/run/kubeha-packages.lock";

    /** Enables and starts a unit unless it is enabled and running. */
    public static RunCommand enableAndStart(String unit) {
        return RunCommand.unless("systemctl is-enabled --quiet " + unit + " && systemctl is-active --quiet " + unit,
                "systemctl enable --now " + unit);
    }

    /** Opens TCP/UDP ports (e.g. {@code 6443/tcp}) in the active host firewall; nothing when none is active. */
    public static RunCommand openPorts(OsFamily family, List<String> ports, boolean vrrp) {
        List<String> ufwPorts = ports.stream().map(p -> p.replace('-', ':')).toList();
        return switch (family) {
            case DEBIAN -> RunCommand.unless(
                    "! command -v ufw >/dev/null || ! ufw status | grep -q 'Status: active' || { " + ufwPorts.stream().map(p -> "ufw status | grep -q '^" + p + " '")
                            .collect(Collectors.joining(" && ")) + "; }",
                    ufwPorts.stream().map(p -> "ufw allow " + p).collect(Collectors.joining(" && ")));
            case RHEL -> RunCommand.unless(
                    "! systemctl is-active --quiet firewalld || { "
                            + ports.stream().map(p -> "firewall-cmd --query-port=" + p + " >/dev/null")
                            .collect(Collectors.joining(" && "))
                            + (vrrp ? " && firewall-cmd --query-rich-rule='rule protocol value=\"vrrp\" accept'"
                            + " >/dev/null" : "") + "; }",
                    ports.stream().map(p -> "firewall-cmd --permanent --add-port=" + p)
                            .collect(Collectors.joining(" && "))
                            + (vrrp ? " && firewall-cmd --permanent --add-rich-rule='rule protocol value=\"vrrp\""
                            + " accept'" : "") + " && firewall-cmd --reload");
        };
    }
}
