package dev.kubeha.render;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import java.util.ArrayList;
import java.util.List;

/** The kubeha-managed block of /etc/hosts: merged into a host's existing file, everything outside it kept. */
public final class HostsBlock {
    public static final String PATH = "/etc/hosts";
    public static final String BEGIN = "# BEGIN kubeha managed block";
    public static final String END = "# END kubeha managed block";

    private HostsBlock() {
    }

    public static String block(ClusterSpec spec) {
        StringBuilder b = new StringBuilder(BEGIN).append(" (cluster ").append(spec.cluster().name()).append(")\n");
        for (HostSpec host : spec.hosts()) {
            b.append(Topology.word(host.address(), host.name() + ": address")).append(' ')
                    .append(Topology.word(host.name(), "hosts: a name")).append('\n');
        }
        return b.append(END).append('\n').toString();
    }

    /** The existing text with its kubeha block replaced in place, or appended when it has none; idempotent. */
    public static String merge(String existing, ClusterSpec spec) {
        return merge(existing, block(spec));
    }

    /** {@link #merge(String, ClusterSpec)} for a block already rendered. */
    public static String merge(String existing, String block) {
        List<String> lines = existing.isEmpty() ? List.of() : List.of(existing.split("\n", -1));
        int begin = -1;
        int end = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(BEGIN) && begin < 0) {
                begin = i;
            } else if (lines.get(i).equals(END) && begin >= 0) {
                end = i;
                break;
            }
        }
        if (begin >= 0 && end < 0) {
            throw new RenderException(PATH + ": '" + BEGIN + "' at line " + (begin + 1) + " has no '" + END
                    + "'; fix the file by hand");
        }
        if (begin < 0) {
            String base = existing.isEmpty() || existing.endsWith("\n") ? existing : existing + "\n";
            return base + block;
        }
        List<String> before = new ArrayList<>(lines.subList(0, begin));
        String after = String.join("\n", lines.subList(end + 1, lines.size()));
        String head = before.isEmpty() ? "" : String.join("\n", before) + "\n";
        return head + block + after;
    }
}
