package dev.kubeha.plan;

import dev.kubeha.render.HostsBlock;

/** Puts kubeha's managed block into a file the host owns (/etc/hosts), keeping every line outside the block. */
public record MergeBlock(String path, String block) implements Operation {
    public String mergeInto(String existing) {
        return HostsBlock.merge(existing, block);
    }

    @Override
    public String describe() {
        return "merge kubeha's block into " + path + ":\n" + block.strip().indent(6).stripTrailing();
    }
}
