package dev.kubeha.plan;

import static dev.kubeha.facts.OsFamily.DEBIAN;
import static dev.kubeha.facts.OsFamily.RHEL;
import static dev.kubeha.plan.PhaseTable.GUIDE;
import static dev.kubeha.plan.PhaseTable.MIRROR_135;
import static dev.kubeha.plan.PhaseTable.SEPARATE_LB;
import static dev.kubeha.plan.PhaseTable.STACKED;
import static dev.kubeha.plan.PhaseTable.cluster;

import dev.kubeha.plan.PhaseTable.Row;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * InstallKubernetes per OS family and package source: the signing key (checked against a pin on the host when there is
 * one), the apt or dnf repository file, the .debs' download and cri-tools by itself (the repository phase), then
 * kubelet, kubeadm and kubectl pinned to the exact version (held on apt hosts), the kubelet enabled (the packages
 * phase); on every Kubernetes node and on no other host.
 */
class InstallKubernetesTest {
    static final List<String> NODES = List.of("cp1", "cp2", "node1");
    static final List<String> STACKED_NODES = List.of("cp1", "cp2", "cp3", "node1");
    static final String PACKAGES = "k8s.repository k8s.cri-tools k8s.packages k8s.kubelet";
    static final String APT_PACKAGES = "k8s.repository k8s.download k8s.cri-tools k8s.packages k8s.kubelet";
    /** The steps of the repository phase; the others are the packages phase's. */
    static final Set<String> REPOSITORY_STEPS = Set.of("k8s.repository", "k8s.download", "k8s.cri-tools");

    static Stream<Row> rows() {
        return Stream.of(
                new Row("guide, debian: pkgs.k8s.io v1.36 through apt, held, the .debs downloaded all at once first",
                        DEBIAN, cluster(GUIDE))
                        .steps(NODES, APT_PACKAGES)
                        .script("node1", "k8s.repository", """
                            unless: for p in curl ca-certificates; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null \
                            | grep -q 'ok installed' || exit 1; done
                            run: exec 9>/run/kubeha-packages.lock && flock -w 900 9 || exit 1; \
                            export DEBIAN_FRONTEND=noninteractive; { ls /var/lib/apt/lists/*_Packages \
                            >/dev/null 2>&1 || apt-get update -q; } && apt-get install -y -q --no-install-recommends \
                            curl ca-certificates
                            unless: test -s /etc/apt/keyrings/kubernetes-apt-keyring.asc
                            run: (t=$(mktemp -d) && trap 'GNUPGHOME="$t" gpgconf --kill all >/dev/null 2>&1; rm -rf \
                            "$t"' EXIT && curl -fsSL --retry 3 \
                            https://pkgs.k8s.io/core:/stable:/v1.36/deb/Release.key -o "$t/key" && install -d -m \
                            0755 /etc/apt/keyrings && install -m 0644 "$t/key" \
                            /etc/apt/keyrings/kubernetes-apt-keyring.asc.tmp && mv \
                            /etc/apt/keyrings/kubernetes-apt-keyring.asc.tmp \
                            /etc/apt/keyrings/kubernetes-apt-keyring.asc)
                            write /etc/apt/sources.list.d/kubernetes.list 0644 root
                            attempts: 3
                            """)
                        .script("node1", "k8s.download", """
                            unless: for p in kubelet kubeadm kubectl; do case "$(dpkg-query -W -f='${Status} \
                            ${Version}' $p 2>/dev/null)" in *'ok installed 1.36.3-'*) ;; *) exit 1;; esac; done && \
                            test "$(apt-mark showhold | grep -cxE 'kubelet|kubeadm|kubectl')" -eq 3
                            run: export DEBIAN_FRONTEND=noninteractive; uris=$(exec 9>/run/kubeha-packages.lock && \
                            flock -w 900 9 || exit 1; apt-get update -q -o \
                            Dir::Etc::sourcelist=sources.list.d/kubernetes.list -o Dir::Etc::sourceparts=- -o \
                            APT::Get::List-Cleanup=0 >&2 && apt-get install -qq --print-uris --no-install-recommends \
                            --allow-change-held-packages --allow-downgrades kubelet='1.36.3-*' kubeadm='1.36.3-*' \
                            kubectl='1.36.3-*') && printf '%s\\n' "$uris" | awk 'NF >= 4 { gsub("\\047", "", $1); \
                            print $1, $2, $4 }' | xargs -r -n 3 -P 8 sh -c 'a=/var/cache/apt/archives; [ -s "$a/$2" \
                            ] || { /usr/lib/apt/apt-helper download-file "$1" "$a/partial/$2" "$3" >/dev/null && mv \
                            "$a/partial/$2" "$a/$2"; }' sh
                            attempts: 3
                            timeout: 600s
                            """)
                        .script("node1", "k8s.cri-tools", """
                            unless: dpkg-query -W -f='${Status}' cri-tools 2>/dev/null | grep -q 'ok installed'
                            run: exec 9>/run/kubeha-packages.lock && flock -w 900 9 || exit 1; \
                            export DEBIAN_FRONTEND=noninteractive; apt-get install -y -q --no-install-recommends \
                            cri-tools
                            attempts: 3
                            timeout: 600s
                            """)
                        .script("node1", "k8s.packages", """
                            unless: for p in kubelet kubeadm kubectl; do case "$(dpkg-query -W -f='${Status} \
                            ${Version}' $p 2>/dev/null)" in *'ok installed 1.36.3-'*) ;; *) exit 1;; esac; done && \
                            test "$(apt-mark showhold | grep -cxE 'kubelet|kubeadm|kubectl')" -eq 3
                            run: exec 9>/run/kubeha-packages.lock && flock -w 900 9 || exit 1; \
                            export DEBIAN_FRONTEND=noninteractive; apt-get update -q -o \
                            Dir::Etc::sourcelist=sources.list.d/kubernetes.list -o Dir::Etc::sourceparts=- -o \
                            APT::Get::List-Cleanup=0 && apt-get install -y -q --no-install-recommends \
                            --allow-change-held-packages --allow-downgrades kubelet='1.36.3-*' kubeadm='1.36.3-*' \
                            kubectl='1.36.3-*' && apt-mark hold kubelet kubeadm kubectl
                            attempts: 3
                            timeout: 600s
                            """)
                        .script("node1", "k8s.kubelet", """
                            unless: systemctl is-enabled --quiet kubelet
                            run: systemctl enable kubelet
                            """),
                new Row("guide, rhel: pkgs.k8s.io v1.36 through dnf, excludes lifted for the install only", RHEL,
                        cluster(GUIDE))
                        .steps(NODES, PACKAGES)
                        .script("cp1", "k8s.repository", """
                            unless: test -s /etc/pki/rpm-gpg/kubernetes.asc
                            run: (t=$(mktemp -d) && trap 'GNUPGHOME="$t" gpgconf --kill all >/dev/null 2>&1; rm -rf \
                            "$t"' EXIT && curl -fsSL --retry 3 \
                            https://pkgs.k8s.io/core:/stable:/v1.36/rpm/repodata/repomd.xml.key -o "$t/key" && \
                            install -d -m 0755 /etc/pki/rpm-gpg && install -m 0644 "$t/key" \
                            /etc/pki/rpm-gpg/kubernetes.asc.tmp && mv /etc/pki/rpm-gpg/kubernetes.asc.tmp \
                            /etc/pki/rpm-gpg/kubernetes.asc)
                            write /etc/yum.repos.d/kubernetes.repo 0644 root
                            attempts: 3
                            """)
                        .script("cp1", "k8s.cri-tools", """
                            unless: rpm -q cri-tools >/dev/null 2>&1
                            run: exec 9>/run/kubeha-packages.lock && flock -w 900 9 || exit 1; \
                            dnf install -y -q --disableexcludes=kubernetes cri-tools
                            attempts: 3
                            timeout: 600s
                            """)
                        .script("cp1", "k8s.packages", """
                            unless: for p in kubelet kubeadm kubectl; do test "$(rpm -q --qf '%{VERSION}' $p \
                            2>/dev/null)" = 1.36.3 || exit 1; done
                            run: exec 9>/run/kubeha-packages.lock && flock -w 900 9 || exit 1; \
                            dnf install -y -q --disableexcludes=kubernetes kubelet-1.36.3 kubeadm-1.36.3 \
                            kubectl-1.36.3
                            attempts: 3
                            timeout: 600s
                            """),
                new Row("stacked, debian, a mirror's v1.35 with a pinned key: gpg checks it before apt trusts it",
                        DEBIAN, cluster(STACKED, MIRROR_135))
                        .steps(STACKED_NODES, APT_PACKAGES)
                        .script("cp3", "k8s.repository", """
                            unless: for p in curl ca-certificates gpg; do dpkg-query -W -f='${Status}' "$p" \
                            2>/dev/null | grep -q 'ok installed' || exit 1; done
                            run: exec 9>/run/kubeha-packages.lock && flock -w 900 9 || exit 1; \
                            export DEBIAN_FRONTEND=noninteractive; { ls /var/lib/apt/lists/*_Packages \
                            >/dev/null 2>&1 || apt-get update -q; } && apt-get install -y -q --no-install-recommends \
                            curl ca-certificates gpg
                            unless: (t=$(mktemp -d) && trap 'GNUPGHOME="$t" gpgconf --kill all >/dev/null 2>&1; rm \
                            -rf "$t"' EXIT && test -s /etc/apt/keyrings/kubernetes-apt-keyring.asc && [ \
                            "$(GNUPGHOME="$t" gpg --batch --no-tty --show-keys --with-colons \
                            /etc/apt/keyrings/kubernetes-apt-keyring.asc 2>/dev/null | awk -F: '$1=="pub"{p=1;next} \
                            p&&$1=="fpr"{printf "%s%s", s, $10; s=" "; p=0}')" = \
                            770A5A11914AE2052F38DF29B9D5FECE9CBA154E ])
                            run: (t=$(mktemp -d) && trap 'GNUPGHOME="$t" gpgconf --kill all >/dev/null 2>&1; rm -rf \
                            "$t"' EXIT && curl -fsSL --retry 3 \
                            http://mirror.example/k8s/core:/stable:/v1.35/deb/Release.key -o "$t/key" && \
                            f=$(GNUPGHOME="$t" gpg --batch --no-tty --show-keys --with-colons "$t/key" 2>/dev/null | \
                            awk -F: '$1=="pub"{p=1;next} p&&$1=="fpr"{printf "%s%s", s, $10; s=" "; p=0}') && { [ \
                            "$f" = 770A5A11914AE2052F38DF29B9D5FECE9CBA154E ] || { echo "the downloaded signing key \
                            is ${f:-not an OpenPGP key}, not the pinned 770A5A11914AE2052F38DF29B9D5FECE9CBA154E: it \
                            is not trusted" >&2; exit 1; }; } && install -d -m 0755 /etc/apt/keyrings && install -m \
                            0644 "$t/key" /etc/apt/keyrings/kubernetes-apt-keyring.asc.tmp && mv \
                            /etc/apt/keyrings/kubernetes-apt-keyring.asc.tmp \
                            /etc/apt/keyrings/kubernetes-apt-keyring.asc)
                            write /etc/apt/sources.list.d/kubernetes.list 0644 root
                            attempts: 3
                            """),
                new Row("stacked, rhel, a mirror's v1.35 with a pinned key: gnupg2 checks it before dnf trusts it",
                        RHEL, cluster(STACKED, MIRROR_135))
                        .steps(STACKED_NODES, PACKAGES)
                        .script("cp1", "k8s.repository", """
                            unless: rpm -q gnupg2 >/dev/null
                            run: exec 9>/run/kubeha-packages.lock && flock -w 900 9 || exit 1; \
                            dnf install -y -q gnupg2
                            unless: (t=$(mktemp -d) && trap 'GNUPGHOME="$t" gpgconf --kill all >/dev/null 2>&1; rm \
                            -rf "$t"' EXIT && test -s /etc/pki/rpm-gpg/kubernetes.asc && [ "$(GNUPGHOME="$t" gpg \
                            --batch --no-tty --show-keys --with-colons /etc/pki/rpm-gpg/kubernetes.asc 2>/dev/null | \
                            awk -F: '$1=="pub"{p=1;next} p&&$1=="fpr"{printf "%s%s", s, $10; s=" "; p=0}')" = \
                            770A5A11914AE2052F38DF29B9D5FECE9CBA154E ])
                            run: (t=$(mktemp -d) && trap 'GNUPGHOME="$t" gpgconf --kill all >/dev/null 2>&1; rm -rf \
                            "$t"' EXIT && curl -fsSL --retry 3 \
                            http://mirror.example/k8s/core:/stable:/v1.35/rpm/repodata/repomd.xml.key -o "$t/key" && \
                            f=$(GNUPGHOME="$t" gpg --batch --no-tty --show-keys --with-colons "$t/key" 2>/dev/null | \
                            awk -F: '$1=="pub"{p=1;next} p&&$1=="fpr"{printf "%s%s", s, $10; s=" "; p=0}') && { [ \
                            "$f" = 770A5A11914AE2052F38DF29B9D5FECE9CBA154E ] || { echo "the downloaded signing key \
                            is ${f:-not an OpenPGP key}, not the pinned 770A5A11914AE2052F38DF29B9D5FECE9CBA154E: it \
                            is not trusted" >&2; exit 1; }; } && install -d -m 0755 /etc/pki/rpm-gpg && install -m \
                            0644 "$t/key" /etc/pki/rpm-gpg/kubernetes.asc.tmp && mv \
                            /etc/pki/rpm-gpg/kubernetes.asc.tmp /etc/pki/rpm-gpg/kubernetes.asc)
                            write /etc/yum.repos.d/kubernetes.repo 0644 root
                            attempts: 3
                            """),
                new Row("separate load balancers, rhel: none on lb1 and lb2", RHEL, cluster(SEPARATE_LB))
                        .steps(NODES, PACKAGES));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void plansThePackagesOnEveryKubernetesNode(Row row, @TempDir Path dir) {
        PhaseTable.check(Install.REPOSITORY, part(row, true), dir);
        PhaseTable.check(Install.PACKAGES, part(row, false), dir);
    }

    /** The row's steps and scripts of the repository phase, or of the packages phase. */
    private static Row part(Row row, boolean repository) {
        Map<String, String> steps = new LinkedHashMap<>();
        row.steps().forEach((host, ids) -> steps.put(host, Arrays.stream(ids.split(" "))
                .filter(id -> REPOSITORY_STEPS.contains(id) == repository).collect(Collectors.joining(" "))));
        Map<String, String> scripts = new LinkedHashMap<>();
        row.scripts().forEach((key, script) -> {
            if (REPOSITORY_STEPS.contains(key.split(" ")[1]) == repository) {
                scripts.put(key, script);
            }
        });
        return new Row(row.name(), row.os(), row.spec(), steps, scripts);
    }
}
