package dev.kubeha.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.ActionListBox;
import com.googlecode.lanterna.gui2.TextBox;
import com.googlecode.lanterna.gui2.Label;
import dev.kubeha.answers.CheckedAnswers;
import dev.kubeha.facts.Preflight;
import dev.kubeha.facts.PreflightResult.Status;
import dev.kubeha.model.Choice;
import dev.kubeha.model.ClusterInfo;
import dev.kubeha.model.ContainerRuntime;
import dev.kubeha.model.KubernetesRelease;
import dev.kubeha.model.RuntimeInstall;
import dev.kubeha.model.SupportedReleases;
import dev.kubeha.model.Version;
import dev.kubeha.validate.Problem;
import dev.kubeha.validate.Severity;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Cluster name, the Kubernetes version (picked from the supported-release table), registries, the runtime and where
 * containerd comes from, with the live preflight's verdict on each probed host's containerd.
 */
final class ClusterScreen extends FormScreen {
    private final TextBox version;
    private final Supplier<LiveChecks.Result> live;

    ClusterScreen(Draft draft, Palette palette, Runnable changed, LocalDate today, Supplier<LiveChecks.Result> live) {
        super(draft, palette, changed);
        this.live = live;
        form.text("Cluster name", "cluster.name", draft.clusterName, v -> draft.clusterName = v);
        ActionListBox releases = new ActionListBox(new TerminalSize(56, SupportedReleases.all().size()));
        for (KubernetesRelease r : SupportedReleases.all()) {
            releases.addItem(releaseLine(r, today), () -> pick(r));
        }
        form.component("Supported", releases);
        String known = ClusterInfo.DEFAULTS.kubernetesVersion();
        form.component("", new Label("Enter: " + Version.of(known).minorLine() + " fills " + known
                + ", the newest patch kubeha\nknows; other minors leave the patch to type."));
        version = form.text("Kubernetes version", "cluster.kubernetesVersion", draft.kubernetesVersion,
                v -> draft.kubernetesVersion = v);
        form.text("Image registry", "cluster.imageRepository", draft.imageRepository,
                v -> draft.imageRepository = v);
        form.text("Package repo", "cluster.packageRepository", draft.packageRepository,
                v -> draft.packageRepository = v);
        form.choice("Container runtime", "containerRuntime", List.of(ContainerRuntime.values()),
                draft.containerRuntime, Choice::yamlName, v -> draft.containerRuntime = v);
        form.choice("Runtime install", "containerRuntimeInstall", List.of(RuntimeInstall.values()),
                draft.containerRuntimeInstall, Choice::yamlName, v -> draft.containerRuntimeInstall = v);
        form.component("", new Label(String.join("\n", Layout.wrap(RuntimeInstall.CHOICES, 58, 2))));
    }

    @Override
    public void refresh(CheckedAnswers checked, int columns, int rows) {
        List<Problem> problems = new ArrayList<>(checked.problems());
        problems.addAll(containerdVerdicts(live.get()));
        form.show(problems, columns);
    }

    /** The live preflight's containerd verdicts short of a pass, each naming its host, at the Runtime install field. */
    static List<Problem> containerdVerdicts(LiveChecks.Result checks) {
        return checks.all().stream().filter(r -> r.check().equals(Preflight.CONTAINERD) && r.status() != Status.PASS)
                .map(r -> new Problem(r.status() == Status.FAIL ? Severity.ERROR : Severity.WARNING,
                        "containerRuntimeInstall", r.host() + ": " + r.reason())).toList();
    }

    static String releaseLine(KubernetesRelease r, LocalDate today) {
        String eol = r.endOfLifeBefore(today) ? "ENDED " + r.endOfLife() : "until " + r.endOfLife();
        return String.format("%-5s %-16s prometheus %s", r.minor(), eol, r.kubePrometheus().orElse("none yet"));
    }

    private void pick(KubernetesRelease release) {
        String known = ClusterInfo.DEFAULTS.kubernetesVersion();
        if (known.startsWith(release.minor() + ".")) {
            version.setText(known);
        } else if (!draft.kubernetesVersion.matches(Pattern.quote(release.minor()) + "\\.\\d+")) {
            version.setText(release.minor() + ".");
        }
        version.takeFocus();
        version.setCaretPosition(version.getText().length());
    }
}
