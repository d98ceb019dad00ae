package dev.kubeha.plan;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.EtcdMembershipRule;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.IpLiteral;
import dev.kubeha.model.Role;
import dev.kubeha.render.EtcdUnit;
import dev.kubeha.render.Topology;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The external etcd's live membership ({@code etcdctl member list}) against the answers' etcd hosts, matched by peer
 * URL: the members that stay, the answers' hosts that join (absent, or still an unstarted member or a learner from an
 * interrupted run) and the live members that leave.
 *
 * @param live every member etcd lists, in its order
 * @param staying the answers' etcd hosts that are started voting members already
 * @param joining the answers' etcd hosts that are not yet started voting members, in the answers' order
 * @param leaving the live members no answers' etcd host has
 */
public record EtcdMembership(List<Member> live, List<HostSpec> staying, List<HostSpec> joining,
                             List<Member> leaving) {
    private static final Pattern ID = Pattern.compile("[0-9a-f]{1,16}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final Pattern URL = Pattern.compile("https://(\\[[0-9A-Fa-f:.]+\\]|[0-9.]+):([0-9]{1,5})");

    /**
     * One member as etcdctl lists it.
     *
     * @param id etcd's member ID in hex, as member remove and promote take it
     * @param started false until the member first joined (an added member not started yet has no name)
     * @param name the member's name, empty while unstarted
     * @param peerUrls its peer URLs
     * @param clientUrls its client URLs, empty while unstarted
     * @param learner true for a non-voting member
     */
    public record Member(String id, boolean started, String name, List<String> peerUrls, List<String> clientUrls,
                         boolean learner) {
        public Member {
            peerUrls = List.copyOf(peerUrls);
            clientUrls = List.copyOf(clientUrls);
        }

        /** A started voting member: what quorum counts on. */
        public boolean startedVoter() {
            return started && !learner;
        }

        /** The address of its first peer URL (what kubeha connects to when it removes the member). */
        public String address() {
            var m = URL.matcher(peerUrls.get(0));
            if (!m.matches()) {
                throw new IllegalStateException("not a peer URL: " + peerUrls.get(0));
            }
            return m.group(1).replaceAll("^\\[|\\]$", "");
        }
    }

    public EtcdMembership {
        live = List.copyOf(live);
        staying = List.copyOf(staying);
        joining = List.copyOf(joining);
        leaving = List.copyOf(leaving);
    }

    /**
     * Reads {@code etcdctl member list -w simple}: one member a line, {@code ID, STATUS, NAME, PEER_URLS, CLIENT_URLS,
     * IS_LEARNER}. Names, IDs and URLs are checked, since they reach commands and units on the hosts.
     */
    public static List<Member> parse(String memberList) {
        List<Member> members = new ArrayList<>();
        int number = 0;
        for (String line : memberList.split("\n")) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.strip().split(", ", -1);
            if (f.length != 6 || !ID.matcher(f[0]).matches() || !Set.of("started", "unstarted").contains(f[1])
                    || !Set.of("true", "false").contains(f[5])) {
                throw new IllegalArgumentException("etcdctl member list, line " + number
                        + ": not ID, STATUS, NAME, PEER ADDRS, CLIENT ADDRS, IS LEARNER: " + line.strip());
            }
            boolean started = f[1].equals("started");
            if (started ? !NAME.matcher(f[2]).matches() : !f[2].isEmpty()) {
                throw new IllegalArgumentException("etcdctl member list, line " + number + ": member name '" + f[2]
                        + "' is not a host name kubeha uses");
            }
            members.add(new Member(f[0], started, f[2], urls(f[3], number, false), urls(f[4], number, true),
                    f[5].equals("true")));
        }
        return members;
    }

    /** The live members against the answers' etcd hosts; a host matches the member with its peer URL. */
    public static EtcdMembership of(ClusterSpec spec, List<Member> live) {
        List<HostSpec> staying = new ArrayList<>();
        List<HostSpec> joining = new ArrayList<>();
        List<Member> leaving = new ArrayList<>(live);
        for (HostSpec host : spec.hostsWith(Role.ETCD)) {
            Optional<Member> member = memberOf(live, host);
            member.ifPresent(leaving::remove);
            if (member.isPresent() && member.get().startedVoter()) {
                staying.add(host);
            } else {
                joining.add(host);
            }
        }
        return new EtcdMembership(live, staying, joining, leaving);
    }

    /** The live member with this host's peer URL. */
    public static Optional<Member> memberOf(List<Member> live, HostSpec host) {
        String peer = EtcdUnit.peerUrl(host);
        return live.stream().filter(m -> m.peerUrls().contains(peer)).findFirst();
    }

    /** True when etcd's membership is what the answers say. */
    public boolean unchanged() {
        return joining.isEmpty() && leaving.isEmpty();
    }

    /** Started voting members now. */
    public long voters() {
        return live.stream().filter(Member::startedVoter).count();
    }

    /** This change for kubeha's etcd membership rule: the joining hosts added, the leaving members removed. */
    public EtcdMembershipRule rule() {
        return new EtcdMembershipRule((int) voters(), joining.stream().map(HostSpec::name).toList(),
                leaving.stream().map(m -> m.name().isEmpty() ? m.id() : m.name()).toList(),
                (int) leaving.stream().filter(Member::startedVoter).count());
    }

    /**
     * The members etcd has once {@code joining.get(index)} was added, as NAME=PEER_URL in etcd's order: every live
     * member (an unstarted one under the answers' name), each earlier joining host, then this one.
     */
    public List<String> clusterWhenJoining(ClusterSpec spec, int index) {
        Map<String, String> byPeer = new LinkedHashMap<>();
        for (Member m : live) {
            String name = m.name().isEmpty() ? spec.hostsWith(Role.ETCD).stream()
                    .filter(h -> m.peerUrls().contains(EtcdUnit.peerUrl(h))).map(HostSpec::name).findFirst()
                    .orElse("") : m.name();
            if (!name.isEmpty()) {
                byPeer.put(m.peerUrls().get(0), name + "=" + m.peerUrls().get(0));
            }
        }
        for (HostSpec host : joining.subList(0, index + 1)) {
            byPeer.put(EtcdUnit.peerUrl(host), EtcdUnit.clusterEntry(host));
        }
        return List.copyOf(byPeer.values());
    }

    /** The host kubeha connects to for a leaving member: its etcd name and the address of its peer URL. */
    public static HostSpec hostOf(Member leaving) {
        return new HostSpec(leaving.name(), leaving.address(), Set.of(Role.ETCD));
    }

    private static List<String> urls(String field, int line, boolean mayBeEmpty) {
        if (field.isEmpty() && mayBeEmpty) {
            return List.of();
        }
        List<String> urls = List.of(field.split(","));
        for (String url : urls) {
            var m = URL.matcher(url);
            if (!m.matches() || IpLiteral.parse(m.group(1).replaceAll("^\\[|\\]$", "")).isEmpty()
                    || Integer.parseInt(m.group(2)) > 65535
                    || !url.equals("https://" + Topology.hostPort(m.group(1).replaceAll("^\\[|\\]$", ""),
                    Integer.parseInt(m.group(2))))) {
                throw new IllegalArgumentException("etcdctl member list, line " + line + ": '" + url
                        + "' is not an https URL of an IP address and port");
            }
        }
        return urls;
    }
}
