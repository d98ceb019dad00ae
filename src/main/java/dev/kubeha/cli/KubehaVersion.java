package dev.kubeha.cli;

/** kubeha's release number, from the jar manifest. */
public final class KubehaVersion {
    private KubehaVersion() {
    }

    public static String get() {
        String version = KubehaVersion.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
