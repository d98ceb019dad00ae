package dev.kubeha.pki;

import dev.kubeha.model.HostSpec;
import dev.kubeha.model.IpLiteral;
import java.net.InetAddress;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x509.GeneralName;

/** Subject alternative names of a certificate: DNS names and IP addresses. */
public record AltNames(List<String> dnsNames, List<InetAddress> ipAddresses) {
    public static final AltNames NONE = new AltNames(List.of(), List.of());

    public AltNames {
        dnsNames = List.copyOf(new LinkedHashSet<>(dnsNames));
        ipAddresses = List.copyOf(new LinkedHashSet<>(ipAddresses));
    }

    /** What an etcd member's server and peer certificates name, like kubeadm's etcd alt names. */
    public static AltNames forMember(HostSpec host) {
        Set<String> dns = new LinkedHashSet<>();
        Set<InetAddress> ips = new LinkedHashSet<>();
        dns.add(host.name());
        Optional<InetAddress> address = IpLiteral.parse(host.address());
        if (address.isPresent()) {
            ips.add(address.get());
        } else {
            dns.add(host.address());
        }
        dns.add("localhost");
        ips.add(IpLiteral.parse("127.0.0.1").orElseThrow());
        ips.add(IpLiteral.parse("::1").orElseThrow());
        return new AltNames(List.copyOf(dns), List.copyOf(ips));
    }

    public boolean isEmpty() {
        return dnsNames.isEmpty() && ipAddresses.isEmpty();
    }

    /** The names in ASN.1 form, as a set so that order does not matter when certificates are compared. */
    Set<GeneralName> generalNames() {
        Set<GeneralName> names = new LinkedHashSet<>();
        dnsNames.forEach(d -> names.add(new GeneralName(GeneralName.dNSName, d)));
        ipAddresses.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, new DEROctetString(ip.getAddress()))));
        return names;
    }
}
