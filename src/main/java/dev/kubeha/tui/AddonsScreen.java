package dev.kubeha.tui;

/** Optional add-ons installed into the cluster once it is up. */
final class AddonsScreen extends FormScreen {
    AddonsScreen(Draft draft, Palette palette, Runnable changed) {
        super(draft, palette, changed);
        form.flag("kube-prometheus", "addons.kubePrometheus", "install monitoring", draft.kubePrometheus,
                v -> draft.kubePrometheus = v);
    }
}
