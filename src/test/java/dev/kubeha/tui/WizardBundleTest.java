package dev.kubeha.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.bundle.Bundle;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.Role;
import dev.kubeha.model.RuntimeInstall;
import dev.kubeha.testing.TestBundles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wizard takes an offline bundle: Review says whether it fits the answers, or names what it lacks. */
class WizardBundleTest {
    @TempDir
    Path dir;

    /** Two control planes, stacked etcd, the distribution's containerd, flannel's manifest naming no image, no add-ons. */
    Draft draft() throws IOException {
        Draft draft = Draft.defaults();
        for (int i = 1; i <= 2; i++) {
            Draft.HostDraft cp = new Draft.HostDraft();
            cp.name = "cp" + i;
            cp.address = "192.168.10.1" + i;
            cp.toggle(Role.CONTROL_PLANE);
            cp.toggle(Role.LOAD_BALANCER);
            draft.hosts.add(cp);
        }
        draft.vip = "192.168.10.100";
        draft.flannelManifest = Files.writeString(dir.resolve("kube-flannel.yml"), "kind: List\n").toString();
        draft.kubePrometheus = false;
        draft.containerRuntimeInstall = RuntimeInstall.DISTRIBUTION;
        return draft;
    }

    @Test
    void reviewShowsThatTheBundleFitsThenNamesTheFileAndWhatItLacksWhenTheAnswersChange() throws IOException {
        Draft draft = draft();
        ClusterSpec spec = draft.check(VirtualWizard.TODAY).validSpec().orElseThrow();
        Path tar = TestBundles.write(dir, spec);
        Bundle opened = Bundle.open(tar, dir.resolve("opened"));
        Path state = Files.createDirectory(dir.resolve("state"));
        try (VirtualWizard w = new VirtualWizard(160, 48, draft, Optional.empty(), state,
                Optional.of(new WizardSettings.WizardBundle(tar, opened)))) {
            w.wizard.show(7);
            String fits = w.text();
            assertTrue(fits.contains("Bundle bundle.tar: fits: Kubernetes " + spec.cluster().kubernetesVersion()
                    + ", amd64, 7 images; Install takes everything from it"), fits);

            w.wizard.draft().flannelManifest = "";
            w.wizard.refresh();
            String lacks = w.text();
            assertTrue(lacks.contains("Bundle bundle.tar: the bundle lacks flannel v") && lacks.contains(
                    "set network.flannelManifest to a local copy, or make the bundle again"), lacks);

            w.wizard.draft().imageRepository = "registry.example.internal";
            w.wizard.refresh();
            String renamed = w.text();
            assertTrue(renamed.contains("Bundle bundle.tar: the bundle's images are named after registry.k8s.io,"
                    + " but cluster.imageRepository is registry.example.internal"), renamed);
            assertTrue(renamed.contains("Bundle bundle.tar: the bundle lacks the image"
                    + " registry.example.internal/kube-apiserver:v"), renamed);
        }
    }

    @Test
    void lineModeRefusesABundleAndNamesTheApplyCommandThatTakesIt() throws IOException {
        Path tar = TestBundles.write(dir, draft().check(VirtualWizard.TODAY).validSpec().orElseThrow());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Tui.run(new TuiOptions(Optional.empty(), Optional.empty(), Optional.of(dir.resolve("state")), true,
                true, Optional.of(tar)), new PrintWriter(out), new PrintWriter(err), VirtualWizard.TODAY, Map.of());
        assertEquals(2, code, out + "\n" + err);
        assertEquals("kubeha: --bundle needs the full-screen wizard; in line mode save the answers, then: kubeha apply"
                + " -f FILE --bundle " + tar + "\n", err.toString());
    }
}
