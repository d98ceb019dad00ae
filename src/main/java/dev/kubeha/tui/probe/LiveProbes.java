package dev.kubeha.tui.probe;

import java.time.Clock;
import java.time.Duration;

/** The wizard's live checks: of each host, of the VIP, and the host keys the operator trusted on the way. */
public record LiveProbes(HostProbe hosts, ProbeRunner.Probe<VipProbe.Target, VipProbe.Answer> vip,
                         HostKeyTrust trust) {
    /** Real SSH logins and facts probes, and the VIP asked on the network. */
    public static LiveProbes standard(Duration connectTimeout) {
        HostKeyTrust trust = new HostKeyTrust();
        return new LiveProbes(new SshFactsProbe(trust, connectTimeout, Duration.ofSeconds(15),
                Clock.systemDefaultZone()), VipProbe.standard(), trust);
    }
}
