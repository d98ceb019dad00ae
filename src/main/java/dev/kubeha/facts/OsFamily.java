package dev.kubeha.facts;

/** Package and firewall tooling family of a host's operating system. */
public enum OsFamily {
    /** Debian and Ubuntu: apt, ufw. */
    DEBIAN,
    /** RHEL, Rocky, Alma, CentOS Stream: dnf, firewalld, SELinux. */
    RHEL
}
