package dev.kubeha.model;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/** An IPv4 or IPv6 network in CIDR notation, normalised to its network address. */
public record Cidr(InetAddress network, int prefix) {
    public static Optional<Cidr> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            return Optional.empty();
        }
        Optional<InetAddress> address = IpLiteral.parse(text.substring(0, slash));
        if (address.isEmpty()) {
            return Optional.empty();
        }
        int prefix;
        try {
            prefix = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        int bits = address.get().getAddress().length * 8;
        if (prefix < 0 || prefix > bits) {
            return Optional.empty();
        }
        return Optional.of(new Cidr(mask(address.get(), prefix), prefix));
    }

    public boolean isIpv4() {
        return network instanceof Inet4Address;
    }

    public int addressBits() {
        return network.getAddress().length * 8;
    }

    public boolean contains(InetAddress address) {
        if (address.getAddress().length != network.getAddress().length) {
            return false;
        }
        return mask(address, prefix).equals(network);
    }

    public boolean overlaps(Cidr other) {
        if (isIpv4() != other.isIpv4()) {
            return false;
        }
        Cidr wider = prefix <= other.prefix ? this : other;
        Cidr narrower = wider == this ? other : this;
        return wider.contains(narrower.network);
    }

    private static InetAddress mask(InetAddress address, int prefix) {
        byte[] bytes = address.getAddress();
        for (int i = 0; i < bytes.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            bytes[i] &= (byte) (0xff << (8 - keep));
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefix;
    }
}
