package dev.kubeha.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.ActionListBox;
import com.googlecode.lanterna.gui2.Button;
import com.googlecode.lanterna.gui2.Component;
import com.googlecode.lanterna.gui2.Direction;
import com.googlecode.lanterna.gui2.Interactable;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.LinearLayout;
import com.googlecode.lanterna.gui2.Panel;
import dev.kubeha.answers.CheckedAnswers;
import dev.kubeha.bundle.BundleCheck;
import dev.kubeha.bundle.BundleException;
import dev.kubeha.bundle.BundleItem;
import dev.kubeha.bundle.BundleManifest;
import dev.kubeha.facts.HostFacts;
import dev.kubeha.validate.Problem;
import dev.kubeha.validate.Severity;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.LoadBalancerSpec;
import dev.kubeha.model.NetworkSpec;
import dev.kubeha.model.Role;
import dev.kubeha.render.Topology;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The whole cluster in a few lines, each host's live check, then every error and warning (Enter on a line jumps to
 * its field); then save or install.
 */
final class ReviewScreen implements Screen {
    private static final String VERSION_FIELD = "cluster.kubernetesVersion";
    static final String INSTALL_NOTE = "Install: shows what it will do and asks; then checks the hosts and installs.";

    private final Palette palette;
    private final LiveState live;
    private final Optional<WizardSettings.WizardBundle> bundle;
    private List<Object> fitChecked = List.of();
    private List<String> fitProblems = List.of();
    private final Panel body = new Panel(new LinearLayout(Direction.VERTICAL).setSpacing(0));
    private final Label summary = new Label("");
    private final ActionListBox list = new ActionListBox();
    private final Consumer<String> jump;
    private final Button save;
    private List<Problem> shown = List.of();
    private List<String> shownLines = List.of();
    private int firstProblem;

    ReviewScreen(Palette palette, LiveState live, Optional<WizardSettings.WizardBundle> bundle, Consumer<String> jump,
                 Runnable saveAnswers, Runnable saveAs, Runnable install) {
        this.palette = palette;
        this.live = live;
        this.bundle = bundle;
        this.jump = jump;
        body.addComponent(summary);
        body.addComponent(list);
        Panel buttons = new Panel(new LinearLayout(Direction.HORIZONTAL));
        save = new Button("Save answers", saveAnswers);
        buttons.addComponent(save);
        buttons.addComponent(new Button("Save as...", saveAs));
        buttons.addComponent(new Button("Install", install));
        body.addComponent(buttons);
        body.addComponent(new Label(INSTALL_NOTE));
    }

    @Override
    public Component body() {
        return body;
    }

    @Override
    public void refresh(CheckedAnswers checked, int columns, int rows) {
        long errors = checked.count(Severity.ERROR);
        long warnings = checked.count(Severity.WARNING);
        if (errors == 0 && warnings == 0) {
            summary.setText("No problems: the answers are valid.");
            summary.setForegroundColor(palette.good());
        } else {
            summary.setText(errors + " error" + (errors == 1 ? "" : "s") + ", " + warnings + " warning"
                    + (warnings == 1 ? "" : "s") + (errors > 0 ? "; errors stop an install." : ".")
                    + (checked.problems().isEmpty() ? "" : " Enter on a line jumps to its field."));
            summary.setForegroundColor(errors > 0 ? palette.error() : palette.warning());
        }
        List<Problem> ordered = checked.problems().stream().sorted((a, b) -> a.severity().compareTo(b.severity()))
                .toList();
        List<String> names = Wording.hostNames(checked);
        List<Map.Entry<String, String>> overview = new ArrayList<>(checked.loaded().spec().map(this::overview)
                .orElse(List.of()));
        overview.addAll(bundleLines(checked));
        List<String> lines = new ArrayList<>();
        overview.forEach(e -> lines.add(Layout.cut(e.getKey(), columns - 4)));
        ordered.forEach(p -> lines.add(Layout.cut(Layout.mark(p) + Wording.text(p, names), columns - 4)));
        int height = Math.max(3, Math.min(lines.size(), rows - 11));
        list.setPreferredSize(new TerminalSize(columns - 2, height));
        if (!lines.equals(shownLines)) {
            int selected = list.getSelectedIndex();
            list.clearItems();
            overview.forEach(e -> list.addItem(Layout.cut(e.getKey(), columns - 4), () -> jump.accept(e.getValue())));
            for (Problem p : ordered) {
                list.addItem(Layout.cut(Layout.mark(p) + Wording.text(p, names), columns - 4),
                        () -> jump.accept(p.path()));
            }
            boolean sameShape = lines.size() == shownLines.size();
            firstProblem = overview.size();
            list.setSelectedIndex(sameShape && selected >= 0 ? selected
                    : ordered.isEmpty() ? 0 : firstProblem);
            shown = ordered;
            shownLines = lines;
        }
    }

    /** The cluster in a few lines and each host with its live check; each names the field Enter jumps to. */
    private List<Map.Entry<String, String>> overview(ClusterSpec spec) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        out.add(Map.entry("Cluster " + spec.cluster().name() + ": Kubernetes " + spec.cluster().kubernetesVersion()
                + ", " + spec.containerRuntime().yamlName() + ", images " + spec.cluster().imageRepository(),
                "cluster.name"));
        List<String> holders = spec.hostsWith(Role.LOAD_BALANCER).stream().map(HostSpec::name).toList();
        LoadBalancerSpec lb = spec.loadBalancer();
        out.add(Map.entry(lb.vip().isBlank() ? "API: no VIP (a single control plane's address)"
                : "API: " + Topology.controlPlaneEndpoint(spec) + (holders.isEmpty() ? ", no load-balancer host"
                : ", held by " + String.join(", then ", holders)) + " (" + lb.vrrp().yamlName() + ", router "
                + lb.virtualRouterId() + ")", "loadBalancer.vip"));
        NetworkSpec n = spec.network();
        out.add(Map.entry("Network: pods " + n.podSubnet() + ", services " + n.serviceSubnet() + ", "
                + n.proxyMode().yamlName() + ", " + n.cni().yamlName() + " " + n.flannelBackend().yamlName(),
                "network.podSubnet"));
        List<String> etcd = spec.hostsWith(Role.ETCD).stream().map(HostSpec::name).toList();
        out.add(Map.entry("etcd: " + (spec.stackedEtcd() ? "kubeadm's, stacked on the control planes"
                : etcd.size() + " member" + (etcd.size() == 1 ? "" : "s") + " (" + String.join(", ", etcd)
                + "), " + spec.etcd().version() + " from " + spec.etcd().install().yamlName())
                + "; add-ons: " + (spec.addons().kubePrometheus() ? "kube-prometheus" : "none"), "etcd.version"));
        live.membership(spec).forEach(line -> out.add(Map.entry(line, "hosts")));
        live.etcdVersionChange(spec).forEach(line -> out.add(Map.entry(line, "etcd.version")));
        LiveChecks.Result checks = live.checks();
        for (int i = 0; i < spec.hosts().size(); i++) {
            HostSpec h = spec.hosts().get(i);
            String roles = String.join(",", h.roles().stream().sorted().map(HostsScreen.SHORT::get).toList());
            String check = checks.row(i).compact();
            out.add(Map.entry(String.format("Host %d %-10s %-15s %-11s %s", i + 1, h.name(), h.address(), roles,
                    check.isEmpty() ? "not checked" : check), "hosts[" + i + "]"));
        }
        return out;
    }

    /** With --bundle: whether it fits the answers and the probed hosts, or each mismatch on its own line. */
    private List<Map.Entry<String, String>> bundleLines(CheckedAnswers checked) {
        if (bundle.isEmpty()) {
            return List.of();
        }
        String name = "Bundle " + bundle.get().file().getFileName() + ": ";
        Optional<ClusterSpec> spec = checked.validSpec();
        if (spec.isEmpty()) {
            return List.of(Map.entry(name + "checked against the answers once they have no errors", VERSION_FIELD));
        }
        Map<String, HostFacts> facts = new LinkedHashMap<>();
        live.checks().probed().forEach((host, probed) -> facts.put(host, probed.facts()));
        List<Object> key = List.of(spec.get(), facts);
        if (!key.equals(fitChecked)) {
            try {
                fitProblems = BundleCheck.problems(spec.get(), bundle.get().opened(), facts);
            } catch (BundleException e) {
                fitProblems = List.of(e.getMessage());
            }
            fitChecked = key;
        }
        if (fitProblems.isEmpty()) {
            BundleManifest m = bundle.get().opened().manifest();
            return List.of(Map.entry(name + "fits: Kubernetes " + m.kubernetesVersion() + ", " + String.join(", ",
                    m.architectures()) + ", " + m.of(BundleItem.Kind.IMAGE).size() + " images; Install takes"
                    + " everything from it", VERSION_FIELD));
        }
        return fitProblems.stream().map(p -> Map.entry(name + p, VERSION_FIELD)).toList();
    }

    @Override
    public boolean focus(String path) {
        if (shown.isEmpty() && !shownLines.isEmpty()) {
            save.takeFocus();
        } else {
            list.takeFocus();
        }
        return true;
    }

    @Override
    public List<Problem> problemsOf(Interactable focused) {
        int index = list.getSelectedIndex() - firstProblem;
        if (focused == list && index >= 0 && index < shown.size()) {
            return List.of(shown.get(index));
        }
        return List.of();
    }
}
