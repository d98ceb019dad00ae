package dev.kubeha.plan;

import dev.kubeha.bundle.Bundle;
import dev.kubeha.facts.HostFacts;
import dev.kubeha.model.ClusterChange;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Role;
import dev.kubeha.render.RenderedFile;
import dev.kubeha.sources.SourceFiles;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What every phase is built from: the spec, every host's facts, every rendered file, the downloaded releases, and
 * the verified offline bundle the packages and images come from instead of their repositories, if one is given,
 * the membership change from the recorded topology (which hosts join, stay and leave) and how the operator lets it
 * run.
 */
public record PlanInput(ClusterSpec spec, Map<String, HostFacts> facts, List<RenderedFile> files,
                        SourceFiles sources, Optional<Bundle> bundle, ClusterChange change,
                        MembershipOptions membership) {
    public PlanInput {
        facts = Map.copyOf(facts);
        files = List.copyOf(files);
    }

    /** With the default drain timeout and every leaving host reachable. */
    public PlanInput(ClusterSpec spec, Map<String, HostFacts> facts, List<RenderedFile> files, SourceFiles sources,
                     Optional<Bundle> bundle, ClusterChange change) {
        this(spec, facts, files, sources, bundle, change, MembershipOptions.DEFAULT);
    }

    public PlanInput withMembership(MembershipOptions options) {
        return new PlanInput(spec, facts, files, sources, bundle, change, options);
    }

    /** Without a recorded topology: every host of the spec is installed or completed, nothing is removed. */
    public PlanInput(ClusterSpec spec, Map<String, HostFacts> facts, List<RenderedFile> files, SourceFiles sources,
                     Optional<Bundle> bundle) {
        this(spec, facts, files, sources, bundle, ClusterChange.between(Optional.empty(), spec));
    }

    public PlanInput(ClusterSpec spec, Map<String, HostFacts> facts, List<RenderedFile> files, SourceFiles sources) {
        this(spec, facts, files, sources, Optional.empty());
    }

    /** For specs that download nothing the plan installs (etcd from a local archive, a package, or stacked). */
    public PlanInput(ClusterSpec spec, Map<String, HostFacts> facts, List<RenderedFile> files) {
        this(spec, facts, files, SourceFiles.NONE);
    }

    public HostFacts factsOf(HostSpec host) {
        HostFacts f = facts.get(host.name());
        if (f == null) {
            throw new IllegalArgumentException("no facts for host " + host.name());
        }
        return f;
    }

    public Optional<RenderedFile> file(HostSpec host, String path) {
        return files.stream().filter(f -> f.host().equals(host.name()) && f.path().equals(path)).findFirst();
    }

    /** The rendered file, which must exist: a missing one is a bug between renderer and planner. */
    public WriteFile write(HostSpec host, String path) {
        return new WriteFile(file(host, path).orElseThrow(() ->
                new IllegalStateException("nothing rendered for " + host.name() + ":" + path)));
    }

    public List<WriteFile> writeAllUnder(HostSpec host, String directory) {
        String prefix = directory.endsWith("/") ? directory : directory + "/";
        return files.stream().filter(f -> f.host().equals(host.name()) && f.path().startsWith(prefix))
                .map(WriteFile::new).toList();
    }

    /** Hosts that run a kubelet. */
    public List<HostSpec> kubernetesNodes() {
        return spec.hosts().stream().filter(h -> h.has(Role.CONTROL_PLANE) || h.has(Role.WORKER)).toList();
    }
}
