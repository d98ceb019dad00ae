package dev.kubeha.tui;

import dev.kubeha.model.Choice;
import dev.kubeha.model.VrrpMode;
import java.util.List;
import java.util.Set;

/** The API server VIP and the keepalived settings that hold it. */
final class LoadBalancerScreen extends FormScreen {
    LoadBalancerScreen(Draft draft, Palette palette, Runnable changed) {
        super(draft, palette, changed, Set.of("loadBalancer"));
        form.text("Virtual IP (VIP)", "loadBalancer.vip", draft.vip, v -> draft.vip = v);
        form.number("Port", "loadBalancer.port", draft.lbPort, v -> draft.lbPort = v);
        form.text("Interface", "loadBalancer.interface", draft.lbInterface, v -> draft.lbInterface = v);
        form.number("Virtual router id", "loadBalancer.virtualRouterId", draft.virtualRouterId,
                v -> draft.virtualRouterId = v);
        form.choice("VRRP", "loadBalancer.vrrp", List.of(VrrpMode.values()), draft.vrrp, Choice::yamlName,
                v -> draft.vrrp = v);
        form.note("");
        form.note("haproxy and keepalived run on the load-balancer hosts; an empty");
        form.note("interface is detected on each host. The VIP may stay empty only");
        form.note("with a single control plane.");
    }

    @Override
    public String title() {
        return "Load balancer";
    }

    @Override
    public String tab() {
        return "Load balancer";
    }
}
