package dev.kubeha.tui;

import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.gui2.Label;
import dev.kubeha.answers.CheckedAnswers;
import dev.kubeha.facts.PreflightResult;
import dev.kubeha.model.Choice;
import dev.kubeha.model.VrrpMode;
import java.util.ArrayList;
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
        vipFree.setText(Layout.cut(line.map(l -> "VIP check: " + l.text()).orElse(""), width));
        vipFree.setForegroundColor(line.map(l -> colour(l.tone())).orElse(TextColor.ANSI.DEFAULT));
        List<PreflightResult> checks = live.vipChecks();
        List<String> bad = new ArrayList<>();
        for (PreflightResult r : checks) {
            if (r.status() != PreflightResult.Status.PASS) {
                bad.add(r.host() + ": " + r.reason());
            }
        }
        long lbHosts = checks.stream().filter(r -> r.check().equals("vip-subnet")).count();
        String hosts = !bad.isEmpty() ? Layout.ERROR + String.join("; ", bad)
                : lbHosts > 0 ? "inside the subnet of " + lbHosts + " probed load-balancer host"
                + (lbHosts == 1 ? "" : "s") + ", on none of the probed hosts' interfaces" : "";
        vipHosts.setText(Layout.cut(hosts, width));
        vipHosts.setForegroundColor(bad.isEmpty() ? palette.good() : palette.error());
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
