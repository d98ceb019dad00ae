package dev.kubeha.tui;

import dev.kubeha.answers.AnswersFile;
import dev.kubeha.answers.AnswersText;
import dev.kubeha.answers.AnswersWriter;
import dev.kubeha.answers.CheckedAnswers;
import dev.kubeha.answers.LoadedAnswers;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.Cni;
import dev.kubeha.model.ContainerRuntime;
import dev.kubeha.model.EtcdBackup;
import dev.kubeha.model.RuntimeInstall;
import dev.kubeha.model.EtcdInstall;
import dev.kubeha.model.EtcdSpec;
import dev.kubeha.model.FlannelBackend;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.KeyAlgorithm;
import dev.kubeha.model.ProxyMode;
import dev.kubeha.model.Role;
import dev.kubeha.model.VrrpMode;
import dev.kubeha.validate.Problem;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The answers as the operator is typing them: raw text per field, checked by turning it into an answers document. */
public final class Draft {
    /** etcd.backup's fields: the draft's, present only while it has a schedule. */
    private static final String BACKUP = "etcd.backup.";

    public String clusterName = "";
    public String kubernetesVersion = "";
    public String imageRepository = "";
    public String packageRepository = "";
    public String packageRepositoryKeyFingerprint = "";
    public ContainerRuntime containerRuntime = ContainerRuntime.CONTAINERD;
    public RuntimeInstall containerRuntimeInstall = RuntimeInstall.AUTO;
    public String sshUser = "";
    public String sshPort = "";
    public String identityFile = "";
    public boolean sudo;
    public String bastion = "";
    public final List<HostDraft> hosts = new ArrayList<>();
    public String vip = "";
    public String lbPort = "";
    public String lbInterface = "";
    public String virtualRouterId = "";
    public VrrpMode vrrp = VrrpMode.UNICAST;
    public String podSubnet = "";
    public String serviceSubnet = "";
    public String dnsDomain = "";
    public ProxyMode proxyMode = ProxyMode.IPTABLES;
    public Cni cni = Cni.FLANNEL;
    public FlannelBackend flannelBackend = FlannelBackend.VXLAN;
    public String flannelManifest = "";
    public String etcdVersion = "";
    public String etcdDataDir = "";
    public String etcdCertDir = "";
    public EtcdInstall etcdInstall = EtcdSpec.DEFAULTS.install();
    public String etcdArchive = "";
    public String etcdArchiveSha256 = "";
    /** etcd.backup: empty schedule, no timer; kept as text like the other numbers. */
    public String etcdBackupSchedule = "";
    public String etcdBackupKeep = Integer.toString(EtcdBackup.DEFAULT_KEEP);
    public KeyAlgorithm keyAlgorithm = KeyAlgorithm.ECDSA_P256;
    public String certificateValidityDays = "";
    public boolean kubePrometheus;
    public String kubePrometheusArchive = "";
    /** The spec the draft was opened from: its fields the wizard has no field for are written back as they were. */
    private ClusterSpec opened;

    /** One host row; empty port, user or identityFile inherit the SSH defaults. */
    public static final class HostDraft {
        public String name = "";
        public String address = "";
        public final List<String> roles = new ArrayList<>();
        public String port = "";
        public String user = "";
        public String identityFile = "";

        public boolean has(Role role) {
            return roles.contains(role.yamlName());
        }

        public void toggle(Role role) {
            if (!roles.remove(role.yamlName())) {
                roles.add(role.yamlName());
                roles.sort(Comparator.comparing(r -> Role.fromYaml(r).map(Enum::ordinal).orElse(99)));
            }
        }

        public HostDraft copy() {
            HostDraft c = new HostDraft();
            c.name = name;
            c.address = address;
            c.roles.addAll(roles);
            c.port = port;
            c.user = user;
            c.identityFile = identityFile;
            return c;
        }
    }

    /** A draft holding every default, as an empty start shows it. */
    public static Draft defaults() {
        return from(AnswersFile.parse("defaults", "hosts: []\n").spec().orElseThrow());
    }

    public static Draft from(ClusterSpec s) {
        Draft d = new Draft();
        d.opened = s;
        d.clusterName = s.cluster().name();
        d.kubernetesVersion = s.cluster().kubernetesVersion();
        d.imageRepository = s.cluster().imageRepository();
        d.packageRepository = s.cluster().packageRepository();
        d.packageRepositoryKeyFingerprint = s.cluster().packageRepositoryKeyFingerprint();
        d.containerRuntime = s.containerRuntime();
        d.containerRuntimeInstall = s.containerRuntimeInstall();
        d.sshUser = s.ssh().user();
        d.sshPort = Integer.toString(s.ssh().port());
        d.identityFile = s.ssh().identityFile();
        d.sudo = s.ssh().sudo();
        d.bastion = s.ssh().bastion();
        for (HostSpec h : s.hosts()) {
            HostDraft hd = new HostDraft();
            hd.name = h.name();
            hd.address = h.address();
            h.roles().stream().sorted().forEach(r -> hd.roles.add(r.yamlName()));
            hd.port = h.port() == null ? "" : h.port().toString();
            hd.user = h.user() == null ? "" : h.user();
            hd.identityFile = h.identityFile() == null ? "" : h.identityFile();
            d.hosts.add(hd);
        }
        d.vip = s.loadBalancer().vip();
        d.lbPort = Integer.toString(s.loadBalancer().port());
        d.lbInterface = s.loadBalancer().networkInterface();
        d.virtualRouterId = Integer.toString(s.loadBalancer().virtualRouterId());
        d.vrrp = s.loadBalancer().vrrp();
        d.podSubnet = s.network().podSubnet();
        d.serviceSubnet = s.network().serviceSubnet();
        d.dnsDomain = s.network().dnsDomain();
        d.proxyMode = s.network().proxyMode();
        d.cni = s.network().cni();
        d.flannelBackend = s.network().flannelBackend();
        d.flannelManifest = s.network().flannelManifest();
        d.etcdVersion = s.etcd().version();
        d.etcdDataDir = s.etcd().dataDir();
        d.etcdCertDir = s.etcd().certDir();
        d.etcdInstall = s.etcd().install();
        d.etcdArchive = s.etcd().archive();
        d.etcdArchiveSha256 = s.etcd().archiveSha256();
        if (s.etcd().backup().enabled()) {
            d.etcdBackupSchedule = s.etcd().backup().schedule();
            d.etcdBackupKeep = Integer.toString(s.etcd().backup().keep());
        }
        d.keyAlgorithm = s.etcd().keyAlgorithm();
        d.certificateValidityDays = Integer.toString(s.etcd().certificateValidityDays());
        d.kubePrometheus = s.addons().kubePrometheus();
        d.kubePrometheusArchive = s.addons().kubePrometheusArchive();
        return d;
    }

    /** The draft as an answers document, so the file loader and the validator judge it exactly as they judge a file. */
    public String toYaml() {
        return AnswersWriter.toYaml(text());
    }

    /**
     * Each field's text as typed, and every other field of the answers the draft was opened from as it was there; a
     * host's blank port, user or identityFile is left out, to inherit the default.
     */
    public AnswersText text() {
        AnswersText typed = typed();
        if (opened == null) {
            return typed;
        }
        Map<String, String> f = new LinkedHashMap<>(typed.fields());
        AnswersText.of(opened).fields().forEach((path, text) -> {
            if (!path.startsWith(BACKUP)) {
                f.putIfAbsent(path, text);
            }
        });
        return new AnswersText(f, typed.hosts());
    }

    private AnswersText typed() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("cluster.name", clusterName);
        f.put("cluster.kubernetesVersion", kubernetesVersion);
        f.put("cluster.imageRepository", imageRepository);
        f.put("cluster.packageRepository", packageRepository);
        f.put("cluster.packageRepositoryKeyFingerprint", packageRepositoryKeyFingerprint);
        f.put("ssh.user", sshUser);
        f.put("ssh.port", sshPort);
        f.put("ssh.identityFile", identityFile);
        f.put("ssh.sudo", Boolean.toString(sudo));
        f.put("ssh.bastion", bastion);
        f.put("loadBalancer.vip", vip);
        f.put("loadBalancer.port", lbPort);
        f.put("loadBalancer.interface", lbInterface);
        f.put("loadBalancer.virtualRouterId", virtualRouterId);
        f.put("loadBalancer.vrrp", vrrp.yamlName());
        f.put("network.podSubnet", podSubnet);
        f.put("network.serviceSubnet", serviceSubnet);
        f.put("network.dnsDomain", dnsDomain);
        f.put("network.proxyMode", proxyMode.yamlName());
        f.put("network.cni", cni.yamlName());
        f.put("network.flannelBackend", flannelBackend.yamlName());
        f.put("network.flannelManifest", flannelManifest);
        f.put("etcd.version", etcdVersion);
        f.put("etcd.dataDir", etcdDataDir);
        f.put("etcd.certDir", etcdCertDir);
        f.put("etcd.keyAlgorithm", keyAlgorithm.yamlName());
        f.put("etcd.certificateValidityDays", certificateValidityDays);
        f.put("etcd.install", etcdInstall.yamlName());
        f.put("etcd.archive", etcdArchive);
        f.put("etcd.archiveSha256", etcdArchiveSha256);
        if (!etcdBackupSchedule.isEmpty()) {
            f.put(BACKUP + "schedule", etcdBackupSchedule);
            f.put(BACKUP + "keep", etcdBackupKeep);
        }
        f.put("containerRuntime", containerRuntime.yamlName());
        f.put("containerRuntimeInstall", containerRuntimeInstall.yamlName());
        f.put("addons.kubePrometheus", Boolean.toString(kubePrometheus));
        f.put("addons.kubePrometheusArchive", kubePrometheusArchive);
        return new AnswersText(f, hosts.stream().map(h -> new AnswersText.Host(h.name, h.address, h.roles,
                h.port.isBlank() ? null : h.port, h.user.isBlank() ? null : h.user,
                h.identityFile.isBlank() ? null : h.identityFile)).toList());
    }

    public LoadedAnswers load() {
        return AnswersFile.parse("wizard", toYaml());
    }

    /** The validator's problems, and whether the files the install reads on this jump host are there. */
    public CheckedAnswers check(LocalDate today) {
        CheckedAnswers checked = CheckedAnswers.of(load(), today);
        if (checked.loaded().spec().isEmpty()) {
            return checked;
        }
        List<Problem> all = new ArrayList<>(checked.problems());
        all.addAll(JumpHostFiles.check(checked.loaded().spec().get(), checked.problems()));
        return new CheckedAnswers(checked.loaded(), all);
    }

    /** The spec the draft stands for; a field that is not a whole number takes its default, as in a file. */
    public ClusterSpec toSpec() {
        return load().spec().orElseThrow();
    }

    /** The problems that belong to a field path or to anything below it (e.g. {@code hosts[0]} covers its address). */
    public static List<Problem> at(List<Problem> problems, String path) {
        return problems.stream().filter(p -> p.path().equals(path) || p.path().startsWith(path + ".")
                || p.path().startsWith(path + "[")).toList();
    }
}
