package dev.kubeha.plan;

import dev.kubeha.render.RenderedFile;

/** Puts a rendered file in place (atomically, with its mode and owner) unless the host already has these bytes. */
public record WriteFile(RenderedFile file) implements Operation {
    @Override
    public String describe() {
        return "write " + file.path() + " (" + String.format("%04o", file.mode()) + " " + file.owner() + ", "
                + file.content().length + " bytes)";
    }
}
