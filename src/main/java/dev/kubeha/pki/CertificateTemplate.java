package dev.kubeha.pki;

import dev.kubeha.model.HostSpec;
import java.util.Set;
import java.util.function.Function;

/**
 * One row of the certificate table, in the style of kubeadm's certlist.go.
 *
 * @param name unique name, e.g. {@code etcd-server}
 * @param baseName file name without {@code .pem} / {@code -key.pem}
 * @param caName name of the signing CA's template, or null for a self-signed CA
 * @param commonName the subject CN, or null when it is the member's host name
 * @param usages extended key usages of a leaf; empty for a CA
 * @param altNames the SAN mutator: alt names for a member, or for no member (null) when not per member
 * @param perMember whether every etcd member gets its own certificate from this row
 */
public record CertificateTemplate(String name, String baseName, String caName, String commonName,
                                  Set<ExtendedUsage> usages, Function<HostSpec, AltNames> altNames,
                                  boolean perMember) {
    public CertificateTemplate {
        usages = Set.copyOf(usages);
    }

    public boolean isCa() {
        return caName == null;
    }

    /** The concrete certificate this row asks for, for a member (per-member rows) or for null. */
    public CertificateRequest request(HostSpec member) {
        if (perMember != (member != null)) {
            throw new IllegalArgumentException(name + (perMember ? " needs a member" : " is not per member"));
        }
        String cn = commonName != null ? commonName : member.name();
        String id = perMember ? name + "/" + member.name() : name;
        String file = perMember ? member.name() + "/" + baseName : baseName;
        return new CertificateRequest(id, file, caName, cn, usages, altNames.apply(member));
    }
}
