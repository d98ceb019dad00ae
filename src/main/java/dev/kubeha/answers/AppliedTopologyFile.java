package dev.kubeha.answers;

import dev.kubeha.answers.NodeReader.Fields;
import dev.kubeha.model.AddonsSpec;
import dev.kubeha.model.AppliedTopology;
import dev.kubeha.model.ClusterInfo;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.ContainerRuntime;
import dev.kubeha.model.EtcdSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.LoadBalancerSpec;
import dev.kubeha.model.NetworkSpec;
import dev.kubeha.model.Role;
import dev.kubeha.model.SshSpec;
import dev.kubeha.model.Version;
import dev.kubeha.validate.Problem;
import dev.kubeha.validate.Problems;
import dev.kubeha.validate.SpecValidator;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.Node;

/**
 * The applied-topology record as YAML: written after a successful apply, read back as untrusted input, checked with
 * the answers file's host and VIP rules, every problem reported as {@code file:line: field: message}.
 */
public final class AppliedTopologyFile {
    public static final String KIND = "AppliedTopology";
    static final List<String> TOP = List.of("apiVersion", "kind", "etcd", "etcdBackup", "etcdVersion",
            "loadBalancer", "hosts");
    private static final String STACKED = "stacked";
    private static final String EXTERNAL = "external";

    /** The record read back, or the problems that make it unusable (each already naming file and line). */
    public record Read(Optional<AppliedTopology> topology, List<String> errors) {
    }

    private AppliedTopologyFile() {
    }

    public static String toYaml(AppliedTopology t) {
        StringBuilder y = new StringBuilder("# kubeha: the hosts the last successful apply left in the cluster; kubeha"
                + " compares the answers with it\n# to plan joins and removals. Written by kubeha, not to be edited.\n");
        y.append("apiVersion: ").append(ClusterSpec.API_VERSION).append('\n')
                .append("kind: ").append(KIND).append('\n')
                .append("etcd: ").append(t.stackedEtcd() ? STACKED : EXTERNAL).append('\n')
                .append("etcdBackup: ").append(t.etcdBackup()).append('\n');
        if (!t.etcdVersion().isEmpty()) {
            y.append("etcdVersion: ").append(AnswersWriter.scalar(t.etcdVersion())).append('\n');
        }
        y.append("loadBalancer:\n  vip: ").append(t.vip().isEmpty() ? "\"\"" : AnswersWriter.scalar(t.vip()))
                .append('\n').append("hosts:\n");
        for (HostSpec h : t.hosts()) {
            y.append("  - {name: ").append(AnswersWriter.scalar(h.name()))
                    .append(", address: ").append(AnswersWriter.scalar(h.address()))
                    .append(", roles: [").append(String.join(", ", h.roles().stream().sorted().map(Role::yamlName)
                            .toList())).append(']')
                    .append(", port: ").append(h.port())
                    .append(", user: ").append(AnswersWriter.scalar(h.user())).append("}\n");
        }
        return y.toString();
    }

    /** Parses and checks a record; {@code source} names it in every problem. */
    public static Read parse(String source, String text) {
        Problems problems = new Problems();
        SourceMap lines = new SourceMap();
        Optional<Node> root = NodeReader.compose(text, problems);
        Optional<AppliedTopology> topology = Optional.empty();
        if (root.isPresent()) {
            topology = Optional.of(read(root.get(), problems, lines));
        } else if (problems.list().isEmpty()) {
            problems.error("", "the record is empty");
        }
        List<Problem> all = new ArrayList<>(problems.list());
        topology.ifPresent(t -> all.addAll(checked(t)));
        List<String> errors = all.stream().filter(Problem::isError).map(p -> source
                + lines.lineOf(p).stream().mapToObj(l -> ":" + l).findFirst().orElse("") + ": " + p.text()).toList();
        return new Read(errors.isEmpty() ? topology : Optional.empty(), errors);
    }

    private static AppliedTopology read(Node root, Problems problems, SourceMap lines) {
        NodeReader in = NodeReader.rejectingSecrets(problems, lines);
        Fields top = in.mapping(root, "", TOP).orElse(new Fields("", Map.of()));
        if (!ClusterSpec.API_VERSION.equals(in.string(top, "apiVersion", "")) || !KIND.equals(in.string(top, "kind",
                ""))) {
            problems.error("kind", "this is not a kubeha " + ClusterSpec.API_VERSION + " " + KIND + " record");
        }
        String etcd = in.string(top, "etcd", "");
        if (!etcd.equals(STACKED) && !etcd.equals(EXTERNAL)) {
            problems.error("etcd", "'" + etcd + "' is neither " + STACKED + " nor " + EXTERNAL);
        }
        Fields lb = in.mapping(top.get("loadBalancer"), "loadBalancer", List.of("vip"))
                .orElse(new Fields("loadBalancer", Map.of()));
        List<HostSpec> hosts = new AnswersReader(problems, lines).hosts(top);
        for (int i = 0; i < hosts.size(); i++) {
            if (hosts.get(i).port() == null || hosts.get(i).user() == null) {
                problems.error("hosts[" + i + "]", "the record names every host's SSH port and user");
            }
        }
        boolean etcdBackup = in.bool(top, "etcdBackup", false);
        if (etcdBackup && etcd.equals(STACKED)) {
            problems.error("etcdBackup", "etcd.backup's snapshot timer runs on external etcd members only");
        }
        String etcdVersion = in.string(top, "etcdVersion", "");
        if (!etcdVersion.isEmpty() && Version.parse(etcdVersion).isEmpty()) {
            problems.error("etcdVersion", "'" + etcdVersion + "' is not a version such as 3.6.5");
        }
        return new AppliedTopology(hosts, in.string(lb, "vip", ""), etcd.equals(STACKED), etcdBackup, etcdVersion);
    }

    /** The answers rules about hosts and the VIP, applied to a spec that holds only what the record says. */
    private static List<Problem> checked(AppliedTopology t) {
        LoadBalancerSpec lb = new LoadBalancerSpec(t.vip(), LoadBalancerSpec.DEFAULTS.port(),
                LoadBalancerSpec.DEFAULTS.networkInterface(), LoadBalancerSpec.DEFAULTS.virtualRouterId(),
                LoadBalancerSpec.DEFAULTS.vrrp());
        ClusterSpec spec = new ClusterSpec(ClusterInfo.DEFAULTS, SshSpec.DEFAULTS, t.hosts(), lb, NetworkSpec.DEFAULTS,
                EtcdSpec.DEFAULTS, ContainerRuntime.CONTAINERD, AddonsSpec.DEFAULTS);
        return new SpecValidator(LocalDate.EPOCH).validate(spec).stream()
                .filter(p -> p.path().startsWith("hosts[") || p.path().equals("loadBalancer.vip")).toList();
    }
}
