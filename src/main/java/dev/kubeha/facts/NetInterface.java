package dev.kubeha.facts;

import java.util.List;

/** A network interface and its addresses in CIDR form (e.g. 10.0.8.6/22). */
public record NetInterface(String name, List<String> addresses) {
    public NetInterface {
        addresses = List.copyOf(addresses);
    }
}
