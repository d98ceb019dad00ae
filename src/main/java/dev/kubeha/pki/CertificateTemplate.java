package dev.kubeha.pki;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * One row of a certificate table, in the style of kubeadm's certlist.go; rows are built by name with
 * {@link #ca(String)} or {@link #leaf(String, CertificateTemplate)} and the {@code with…} methods.
 *
 * @param name unique name, e.g. {@code etcd-server}
 * @param caName name of the signing CA's row; empty for a self-signed CA
 * @param commonName the subject CN; empty when it is the member's host name
 * @param perMember whether every etcd member gets its own certificate from this row
 * @param usages extended key usages of a leaf; empty for a CA
 * @param altNames the subject alternative names, for a member (per-member rows) or for no member
 * @param stateFile file name in the state directory, without {@code .pem} / {@code -key.pem}
 * @param validity how long a certificate of this row is valid for a spec (a leaf never outlives its CA)
 * @param placements where hosts of a role receive the certificate (and, for a leaf, its key)
 */
public record CertificateTemplate(String name, Optional<String> caName, Optional<String> commonName,
                                  boolean perMember, Set<ExtendedUsage> usages,
                                  Function<HostSpec, AltNames> altNames, String stateFile,
                                  Function<ClusterSpec, Duration> validity, List<Placement> placements) {
    /**
     * Where hosts with a role receive a certificate: its path (the key lies beside it as {@code …-key.pem}) and the
     * owner of both files. A CA's key is never placed.
     */
    public record Placement(Role role, Function<ClusterSpec, String> certificatePath, String owner) {
        public String keyPath(ClusterSpec spec) {
            String certificate = certificatePath.apply(spec);
            return certificate.substring(0, certificate.length() - ".pem".length()) + "-key.pem";
        }
    }

    public CertificateTemplate {
        usages = Set.copyOf(usages);
        placements = List.copyOf(placements);
    }

    /** A self-signed CA row, valid as long as kubeha's CAs; its state file is its name unless changed. */
    public static CertificateTemplate ca(String name) {
        return new CertificateTemplate(name, Optional.empty(), Optional.of(name), false, Set.of(),
                member -> AltNames.NONE, name, spec -> Issuer.CA_VALIDITY, List.of());
    }

    /** A leaf row signed by a CA row, valid for {@code etcd.certificateValidityDays}. */
    public static CertificateTemplate leaf(String name, CertificateTemplate ca) {
        return new CertificateTemplate(name, Optional.of(ca.name()), Optional.empty(), false, Set.of(),
                member -> AltNames.NONE, name, spec -> Duration.ofDays(spec.etcd().certificateValidityDays()),
                List.of());
    }

    public CertificateTemplate withCommonName(String cn) {
        return new CertificateTemplate(name, caName, Optional.of(cn), perMember, usages, altNames, stateFile,
                validity, placements);
    }

    /** One certificate per etcd member, with the member's alt names and, unless set, its host name as CN. */
    public CertificateTemplate perEtcdMember(Function<HostSpec, AltNames> memberAltNames) {
        return new CertificateTemplate(name, caName, commonName, true, usages, memberAltNames, stateFile, validity,
                placements);
    }

    public CertificateTemplate withUsages(ExtendedUsage... extendedUsages) {
        return new CertificateTemplate(name, caName, commonName, perMember, Set.of(extendedUsages), altNames,
                stateFile, validity, placements);
    }

    public CertificateTemplate withStateFile(String file) {
        return new CertificateTemplate(name, caName, commonName, perMember, usages, altNames, file, validity,
                placements);
    }

    public CertificateTemplate placedOn(Role role, Function<ClusterSpec, String> certificatePath, String owner) {
        List<Placement> more = new ArrayList<>(placements);
        more.add(new Placement(role, certificatePath, owner));
        return new CertificateTemplate(name, caName, commonName, perMember, usages, altNames, stateFile, validity,
                more);
    }

    public boolean isCa() {
        return caName.isEmpty();
    }

    /** The concrete certificate this row asks for, for a member (per-member rows) or for null. */
    public CertificateRequest request(ClusterSpec spec, HostSpec member) {
        if (perMember != (member != null)) {
            throw new IllegalArgumentException(name + (perMember ? " needs a member" : " is not per member"));
        }
        String cn = commonName.orElseGet(() -> member.name());
        String id = perMember ? name + "/" + member.name() : name;
        String file = perMember ? member.name() + "/" + stateFile : stateFile;
        return new CertificateRequest(id, file, caName.orElse(null), cn, usages, altNames.apply(member),
                validity.apply(spec));
    }
}
