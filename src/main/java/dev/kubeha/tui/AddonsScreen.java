package dev.kubeha.tui;

import dev.kubeha.model.Choice;
import dev.kubeha.model.KeyAlgorithm;
import java.util.List;
import java.util.Set;

/** Optional add-ons, and the external etcd settings used when hosts have the etcd role. */
final class AddonsScreen extends FormScreen {
    AddonsScreen(Draft draft, Palette palette, Runnable changed) {
        super(draft, palette, changed, Set.of("addons", "etcd"));
        form.flag("kube-prometheus", "addons.kubePrometheus", "install monitoring", draft.kubePrometheus,
                v -> draft.kubePrometheus = v);
        form.note("");
        form.note("External etcd (used only when some hosts have the etcd role):");
        form.text("etcd version", "etcd.version", draft.etcdVersion, v -> draft.etcdVersion = v);
        form.text("Data directory", "etcd.dataDir", draft.etcdDataDir, v -> draft.etcdDataDir = v);
        form.text("Certificate dir", "etcd.certDir", draft.etcdCertDir, v -> draft.etcdCertDir = v);
        form.choice("Key algorithm", "etcd.keyAlgorithm", List.of(KeyAlgorithm.values()), draft.keyAlgorithm,
                Choice::yamlName, v -> draft.keyAlgorithm = v);
        form.number("Certificate days", "etcd.certificateValidityDays", draft.certificateValidityDays,
                v -> draft.certificateValidityDays = v);
    }

    @Override
    public String title() {
        return "Add-ons and etcd";
    }

    @Override
    public String tab() {
        return "Add-ons";
    }
}
