package dev.kubeha.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Role;
import dev.kubeha.testing.GuideSpecs;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The unit of a member that joins running members: their names and peer URLs and itself, state existing. */
class EtcdUnitBootstrapTest {
    @Test
    void aJoiningMemberListsTheRunningMembersAndItselfWithStateExisting() throws IOException {
        List<HostSpec> hosts = new ArrayList<>(GuideSpecs.guide().hosts());
        HostSpec ceph4 = new HostSpec("ceph4", "172.21.16.15", Set.of(Role.ETCD));
        hosts.add(ceph4);
        ClusterSpec spec = GuideSpecs.guide().withHosts(hosts);
        RenderedFile unit = EtcdUnit.render(spec, ceph4, EtcdUnit.DEFAULT_BINARY, EtcdUnit.Bootstrap.joining(
                List.of("ceph1=https://172.21.16.14:2380", "ceph2=https://172.21.16.6:2380",
                        "ceph3=https://172.21.16.13:2380"), ceph4));
        assertEquals(EtcdUnitTest.golden("ceph4-joining-etcd.service"), unit.text());
        assertTrue(unit.text().contains("--initial-cluster-state=existing"));
    }

    @Test
    void theInstallsBootstrapIsEveryMemberOfTheAnswersStartingTogether() {
        ClusterSpec spec = GuideSpecs.guide();
        HostSpec ceph1 = spec.hostsWith(Role.ETCD).get(0);
        assertEquals(EtcdUnit.render(spec, ceph1, EtcdUnit.DEFAULT_BINARY).text(), EtcdUnit.render(spec, ceph1,
                EtcdUnit.DEFAULT_BINARY, new EtcdUnit.Bootstrap(List.of("ceph1=https://172.21.16.14:2380",
                        "ceph2=https://172.21.16.6:2380", "ceph3=https://172.21.16.13:2380"), false)).text());
    }
}
