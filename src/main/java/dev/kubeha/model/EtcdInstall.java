package dev.kubeha.model;

/** Where the etcd binary comes from: a release archive pushed from the jump host, or the distribution's package. */
public enum EtcdInstall implements Choice {
    ARCHIVE("archive", "/usr/local/bin"), PACKAGE("package", "/usr/bin");

    private final String yamlName;
    private final String binDir;

    EtcdInstall(String yamlName, String binDir) {
        this.yamlName = yamlName;
        this.binDir = binDir;
    }

    @Override
    public String yamlName() {
        return yamlName;
    }

    public String etcdBinary() {
        return binDir + "/etcd";
    }

    public String etcdctlBinary() {
        return binDir + "/etcdctl";
    }

    public String etcdutlBinary() {
        return binDir + "/etcdutl";
    }
}
