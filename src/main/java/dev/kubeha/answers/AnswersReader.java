package dev.kubeha.answers;

import dev.kubeha.answers.NodeReader.Fields;
import dev.kubeha.model.AddonsSpec;
import dev.kubeha.model.ClusterInfo;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.Cni;
import dev.kubeha.model.ContainerRuntime;
import dev.kubeha.model.EtcdBackup;
import dev.kubeha.model.EtcdInstall;
import dev.kubeha.model.EtcdSpec;
import dev.kubeha.model.FlannelBackend;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.KeyAlgorithm;
import dev.kubeha.model.LoadBalancerSpec;
import dev.kubeha.model.NetworkSpec;
import dev.kubeha.model.ProxyMode;
import dev.kubeha.model.Role;
import dev.kubeha.model.RuntimeArchive;
import dev.kubeha.model.RuntimeArchives;
import dev.kubeha.model.RuntimeInstall;
import dev.kubeha.model.SshSpec;
import dev.kubeha.model.VrrpMode;
import dev.kubeha.validate.Problems;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/** Turns a composed answers document into a {@link ClusterSpec}, filling defaults and collecting problems. */
final class AnswersReader {
    static final List<String> TOP = List.of("apiVersion", "cluster", "ssh", "hosts", "loadBalancer", "network", "etcd",
            "containerRuntime", "containerRuntimeInstall", RuntimeArchives.FIELD, "addons");
    static final List<String> CLUSTER = List.of("name", "kubernetesVersion", "imageRepository", "packageRepository",
            "packageRepositoryKeyFingerprint");
    static final List<String> SSH = List.of("user", "port", "identityFile", "sudo", "bastion");
    static final List<String> HOST = List.of("name", "address", "roles", "port", "user", "identityFile");
    static final List<String> LOAD_BALANCER = List.of("vip", "port", "interface", "virtualRouterId", "vrrp");
    static final List<String> NETWORK = List.of("podSubnet", "serviceSubnet", "dnsDomain", "proxyMode", "cni",
            "flannelBackend", "flannelManifest");
    static final List<String> ETCD = List.of("version", "dataDir", "certDir", "keyAlgorithm", "certificateValidityDays",
            "install", "archive", "archiveSha256");
    /** etcd's keys the reader takes: the plain ones and the optional backup mapping. */
    static final List<String> ETCD_KEYS = Stream.concat(ETCD.stream(), Stream.of("backup")).toList();
    static final List<String> ETCD_BACKUP = List.of("schedule", "keep");
    static final List<String> ADDONS = List.of("kubePrometheus", "kubePrometheusArchive");
    /** containerRuntimeArchives' components, each a mapping of {@link #RUNTIME_ARCHIVE}. */
    static final List<String> RUNTIME_ARCHIVES = List.of("containerd", "runc", "cniPlugins");
    static final List<String> RUNTIME_ARCHIVE = List.of("version", "archive", "archiveSha256");

    private final NodeReader in;
    private final Problems problems;

    AnswersReader(Problems problems, SourceMap sourceMap) {
        this.problems = problems;
        this.in = NodeReader.rejectingSecrets(problems, sourceMap);
    }

    ClusterSpec read(Node root) {
        Fields top = in.mapping(root, "", TOP).orElse(new Fields("", Map.of()));
        String apiVersion = in.string(top, "apiVersion", ClusterSpec.API_VERSION);
        if (!apiVersion.equals(ClusterSpec.API_VERSION)) {
            problems.error("apiVersion", "'" + apiVersion + "' is not supported; this kubeha reads "
                    + ClusterSpec.API_VERSION);
        }
        if (!top.has("hosts")) {
            problems.error("hosts", "is required: list every machine with its name, address and roles");
        }
        return new ClusterSpec(cluster(top), ssh(top), hosts(top), loadBalancer(top), network(top), etcd(top),
                in.choice(top, "containerRuntime", ContainerRuntime.class, ContainerRuntime.CONTAINERD),
                in.choice(top, "containerRuntimeInstall", RuntimeInstall.class, RuntimeInstall.AUTO),
                runtimeArchives(top), addons(top));
    }

    private Fields section(Fields top, String key, List<String> known) {
        return in.mapping(top.get(key), top.path(key), known).orElse(new Fields(top.path(key), Map.of()));
    }

    private ClusterInfo cluster(Fields top) {
        Fields f = section(top, "cluster", CLUSTER);
        ClusterInfo d = ClusterInfo.DEFAULTS;
        return new ClusterInfo(in.string(f, "name", d.name()), in.string(f, "kubernetesVersion", d.kubernetesVersion()),
                in.string(f, "imageRepository", d.imageRepository()),
                in.string(f, "packageRepository", d.packageRepository()),
                in.string(f, "packageRepositoryKeyFingerprint", d.packageRepositoryKeyFingerprint()));
    }

    private SshSpec ssh(Fields top) {
        Fields f = section(top, "ssh", SSH);
        SshSpec d = SshSpec.DEFAULTS;
        return new SshSpec(in.string(f, "user", d.user()), in.integer(f, "port", d.port()),
                in.string(f, "identityFile", d.identityFile()), in.bool(f, "sudo", d.sudo()),
                in.string(f, "bastion", d.bastion()));
    }

    List<HostSpec> hosts(Fields top) {
        List<Node> items = in.sequence(top, "hosts");
        List<HostSpec> hosts = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String at = "hosts[" + i + "]";
            Optional<Fields> f = in.mapping(items.get(i), at, HOST);
            if (f.isEmpty()) {
                continue;
            }
            hosts.add(new HostSpec(in.string(f.get(), "name", ""), in.string(f.get(), "address", ""),
                    roles(f.get()), in.optionalInteger(f.get(), "port"), in.optionalString(f.get(), "user"),
                    in.optionalString(f.get(), "identityFile")));
        }
        return hosts;
    }

    private Set<Role> roles(Fields host) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        List<Node> items = in.sequence(host, "roles");
        List<String> known = Arrays.stream(Role.values()).map(Role::yamlName).toList();
        for (int i = 0; i < items.size(); i++) {
            String at = host.path("roles") + "[" + i + "]";
            if (!(items.get(i) instanceof ScalarNode s)) {
                problems.error(at, "must be a role name");
                continue;
            }
            Optional<Role> role = Role.fromYaml(s.getValue());
            if (role.isEmpty()) {
                problems.error(at, "unknown role '" + s.getValue() + "'" + Suggest.nearest(s.getValue(), known)
                        .map(r -> "; did you mean " + r + "?").orElse("; known roles: " + String.join(", ", known)));
            } else if (!roles.add(role.get())) {
                problems.warning(at, "role '" + s.getValue() + "' is listed twice");
            }
        }
        return roles;
    }

    private LoadBalancerSpec loadBalancer(Fields top) {
        Fields f = section(top, "loadBalancer", LOAD_BALANCER);
        LoadBalancerSpec d = LoadBalancerSpec.DEFAULTS;
        return new LoadBalancerSpec(in.string(f, "vip", d.vip()), in.integer(f, "port", d.port()),
                in.string(f, "interface", d.networkInterface()), in.integer(f, "virtualRouterId", d.virtualRouterId()),
                in.choice(f, "vrrp", VrrpMode.class, d.vrrp()));
    }

    private NetworkSpec network(Fields top) {
        Fields f = section(top, "network", NETWORK);
        NetworkSpec d = NetworkSpec.DEFAULTS;
        return new NetworkSpec(in.string(f, "podSubnet", d.podSubnet()), in.string(f, "serviceSubnet",
                d.serviceSubnet()), in.string(f, "dnsDomain", d.dnsDomain()),
                in.choice(f, "proxyMode", ProxyMode.class, d.proxyMode()), in.choice(f, "cni", Cni.class, d.cni()),
                in.choice(f, "flannelBackend", FlannelBackend.class, d.flannelBackend()),
                in.string(f, "flannelManifest", d.flannelManifest()));
    }

    private EtcdSpec etcd(Fields top) {
        Fields f = section(top, "etcd", ETCD_KEYS);
        EtcdSpec d = EtcdSpec.DEFAULTS;
        return new EtcdSpec(in.string(f, "version", d.version()), in.string(f, "dataDir", d.dataDir()),
                in.string(f, "certDir", d.certDir()), in.choice(f, "keyAlgorithm", KeyAlgorithm.class,
                d.keyAlgorithm()), in.integer(f, "certificateValidityDays", d.certificateValidityDays()),
                in.choice(f, "install", EtcdInstall.class, d.install()), in.string(f, "archive", d.archive()),
                in.string(f, "archiveSha256", d.archiveSha256()), backup(f));
    }

    /** etcd.backup: absent, or a mapping with a schedule (required) and keep (default 7). */
    private EtcdBackup backup(Fields etcd) {
        if (!etcd.has("backup")) {
            return EtcdBackup.NONE;
        }
        Optional<Fields> f = in.mapping(etcd.get("backup"), etcd.path("backup"), ETCD_BACKUP);
        if (f.isEmpty()) {
            return EtcdBackup.NONE;
        }
        String schedule = in.string(f.get(), "schedule", "");
        if (schedule.isEmpty()) {
            problems.error(etcd.path("backup") + ".schedule", "is required: when to take a snapshot, as systemd's"
                    + " OnCalendar= reads it (daily, hourly, *-*-* 03:00:00)");
            return EtcdBackup.NONE;
        }
        return new EtcdBackup(schedule, in.integer(f.get(), "keep", EtcdBackup.DEFAULT_KEEP));
    }

    /** containerRuntimeArchives: absent, or a mapping of containerd, runc and cniPlugins, each optional. */
    private RuntimeArchives runtimeArchives(Fields top) {
        if (!top.has(RuntimeArchives.FIELD)) {
            return RuntimeArchives.PINNED;
        }
        Fields f = section(top, RuntimeArchives.FIELD, RUNTIME_ARCHIVES);
        List<RuntimeArchive> each = RUNTIME_ARCHIVES.stream().map(key -> {
            if (!f.has(key)) {
                return RuntimeArchive.PINNED;
            }
            Optional<Fields> c = in.mapping(f.get(key), f.path(key), RUNTIME_ARCHIVE);
            return c.map(x -> new RuntimeArchive(in.string(x, "version", ""), in.string(x, "archive", ""),
                    in.string(x, "archiveSha256", ""))).orElse(RuntimeArchive.PINNED);
        }).toList();
        return new RuntimeArchives(each.get(0), each.get(1), each.get(2));
    }

    private AddonsSpec addons(Fields top) {
        Fields f = section(top, "addons", ADDONS);
        return new AddonsSpec(in.bool(f, "kubePrometheus", AddonsSpec.DEFAULTS.kubePrometheus()),
                in.string(f, "kubePrometheusArchive", AddonsSpec.DEFAULTS.kubePrometheusArchive()));
    }
}
