package dev.kubeha.tui;

import dev.kubeha.model.Choice;
import dev.kubeha.model.Cni;
import dev.kubeha.model.FlannelBackend;
import dev.kubeha.model.ProxyMode;
import java.util.List;

/** Pod and service CIDRs, DNS domain, kube-proxy mode and the CNI. */
final class NetworkScreen extends FormScreen {
    NetworkScreen(Draft draft, Palette palette, Runnable changed) {
        super(draft, palette, changed);
        form.text("Pod subnet", "network.podSubnet", draft.podSubnet, v -> draft.podSubnet = v);
        form.text("Service subnet", "network.serviceSubnet", draft.serviceSubnet, v -> draft.serviceSubnet = v);
        form.text("DNS domain", "network.dnsDomain", draft.dnsDomain, v -> draft.dnsDomain = v);
        form.choice("Proxy mode", "network.proxyMode", List.of(ProxyMode.values()), draft.proxyMode,
                Choice::yamlName, v -> draft.proxyMode = v);
        form.choice("CNI", "network.cni", List.of(Cni.values()), draft.cni, Choice::yamlName, v -> draft.cni = v);
        form.choice("Flannel backend", "network.flannelBackend", List.of(FlannelBackend.values()),
                draft.flannelBackend, Choice::yamlName, v -> draft.flannelBackend = v);
        form.text("Flannel manifest", "network.flannelManifest", draft.flannelManifest,
                v -> draft.flannelManifest = v);
        form.note("");
        form.note("An empty flannel manifest is downloaded and checksum-verified at install time.");
    }
}
