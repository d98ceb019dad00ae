package dev.kubeha.facts;

import dev.kubeha.model.Cidr;
import dev.kubeha.model.IpLiteral;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/** A network interface and its addresses in CIDR form (e.g. 10.0.8.6/22). */
public record NetInterface(String name, List<String> addresses) {
    public NetInterface {
        addresses = List.copyOf(addresses);
    }

    /** True when one of the addresses is exactly {@code ip}. */
    public boolean carries(InetAddress ip) {
        return addresses.stream().anyMatch(a -> IpLiteral.parse(a.contains("/") ? a.substring(0, a.indexOf('/')) : a)
                .map(ip::equals).orElse(false));
    }

    /** The subnets the addresses belong to (10.0.8.6/22 gives 10.0.8.0/22). */
    public List<Cidr> subnets() {
        return addresses.stream().map(Cidr::parse).flatMap(Optional::stream).toList();
    }
}
