package dev.kubeha.tui;

import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.gui2.Label;
import dev.kubeha.answers.CheckedAnswers;
import dev.kubeha.facts.PreflightResult;
import dev.kubeha.model.Choice;
import dev.kubeha.model.VrrpMode;
import dev.kubeha.model.Cidr;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.IpLiteral;
import dev.kubeha.model.Role;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Optional;
import java.util.List;

/** The API server VIP and the keepalived settings that hold it, with the live check that the VIP is free. */
final class LoadBalancerScreen extends FormScreen {
    private final LiveState live;
    private final Palette palette;
    private final Label vipFree;
    private final Label vipHosts;

    LoadBalancerScreen(Draft draft, Palette palette, Runnable changed, LiveState live) {
        super(draft, palette, changed);
        this.live = live;
        this.palette = palette;
        form.text("Virtual IP (VIP)", "loadBalancer.vip", draft.vip, v -> draft.vip = v);
        form.number("Port", "loadBalancer.port", draft.lbPort, v -> draft.lbPort = v);
        form.text("Interface", "loadBalancer.interface", draft.lbInterface, v -> draft.lbInterface = v);
        form.number("Virtual router id", "loadBalancer.virtualRouterId", draft.virtualRouterId,
                v -> draft.virtualRouterId = v);
        form.choice("VRRP", "loadBalancer.vrrp", List.of(VrrpMode.values()), draft.vrrp, Choice::yamlName,
                v -> draft.vrrp = v);
        vipFree = form.note("");
        vipHosts = form.note("");
        form.note("haproxy and keepalived run on the load-balancer hosts; an empty");
        form.note("interface is detected on each host. The VIP may stay empty only");
        form.note("with a single control plane.");
    }

    @Override
    public void refresh(CheckedAnswers checked, int columns, int rows) {
        super.refresh(checked, columns, rows);
        int width = columns - 2;
        var line = live.vipLine();
        vipFree.setText(String.join("\n", Layout.wrap(line.map(l -> "VIP check: " + l.text()).orElse(""), width, 2)));
        vipFree.setForegroundColor(line.map(l -> colour(l.tone())).orElse(TextColor.ANSI.DEFAULT));
        List<PreflightResult> checks = live.vipChecks();
        List<String> bad = new ArrayList<>();
        for (PreflightResult r : checks) {
            if (r.status() != PreflightResult.Status.PASS) {
                bad.add(r.host() + ": " + r.reason());
            }
        }
        long lbHosts = checks.stream().filter(r -> r.check().equals("vip-subnet")).count();
        Optional<String> typed = lbHosts > 0 ? Optional.empty() : outsideTypedSubnets(checked);
        String hosts = !bad.isEmpty() ? Layout.ERROR + String.join("; ", bad)
                : lbHosts > 0 ? "inside the subnet of " + lbHosts + " probed load-balancer host"
                + (lbHosts == 1 ? "" : "s") + ", on none of the probed hosts' interfaces" : typed.orElse("");
        vipHosts.setText(String.join("\n", Layout.wrap(hosts, width, 3)));
        vipHosts.setForegroundColor(!bad.isEmpty() ? palette.error() : typed.isPresent() ? palette.warning()
                : palette.good());
    }

    /**
     * Before any load-balancer host is probed: a warning when the VIP shares no /24 (IPv4) or /64 (IPv6) with an
     * address typed for a load-balancer host; the interface may carry a wider subnet, which the probe then shows.
     */
    static Optional<String> outsideTypedSubnets(CheckedAnswers checked) {
        Optional<ClusterSpec> spec = checked.loaded().spec();
        Optional<InetAddress> vip = spec.flatMap(s -> IpLiteral.parse(s.loadBalancer().vip()));
        if (vip.isEmpty()) {
            return Optional.empty();
        }
        List<HostSpec> lb = spec.get().hosts().stream().filter(h -> h.roles().contains(Role.LOAD_BALANCER))
                .filter(h -> IpLiteral.parse(h.address()).isPresent()).toList();
        int prefix = vip.get() instanceof Inet4Address ? 24 : 64;
        boolean near = lb.stream().map(h -> Cidr.parse(h.address() + "/" + prefix)).flatMap(Optional::stream)
                .anyMatch(c -> c.contains(vip.get()));
        if (lb.isEmpty() || near) {
            return Optional.empty();
        }
        return Optional.of(Layout.WARNING + spec.get().loadBalancer().vip() + " is not in the /" + prefix
                + " of any load-balancer host address (" + String.join(", ", lb.stream().map(HostSpec::address)
                .toList()) + "); keepalived holds it only on a subnet their interface carries");
    }

    private TextColor colour(LiveChecks.Tone tone) {
        return switch (tone) {
            case BAD -> palette.error();
            case WARNING -> palette.warning();
            case GOOD -> palette.good();
            default -> TextColor.ANSI.DEFAULT;
        };
    }
}
