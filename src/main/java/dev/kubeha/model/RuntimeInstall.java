package dev.kubeha.model;

/**
 * Where containerd comes from on the nodes: the distribution's package, or containerd's release archive (with runc)
 * pushed from the jump host; AUTO is the archive on Debian and Ubuntu, whose containerd is 1.x, else the package.
 */
public enum RuntimeInstall implements Choice {
    AUTO("auto"), DISTRIBUTION("distribution"), ARCHIVE("archive");

    /** What auto means. */
    public static final String AUTO_MEANS = "containerd's release archive on Debian and Ubuntu, the package elsewhere";
    /** The choices and what auto means, as the answers file's comment and the wizard put it. */
    public static final String CHOICES = "auto (" + AUTO_MEANS + ") | distribution | archive";

    private final String yamlName;

    RuntimeInstall(String yamlName) {
        this.yamlName = yamlName;
    }

    @Override
    public String yamlName() {
        return yamlName;
    }
}
