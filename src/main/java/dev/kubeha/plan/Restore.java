package dev.kubeha.plan;

import static dev.kubeha.plan.Need.everywhere;
import static dev.kubeha.plan.Workflow.phase;

import java.util.List;

/**
 * The restore workflow, in order: the snapshot checked on every member, the apiservers and then every etcd member
 * stopped, the snapshot restored into a new data directory per member (the old one kept aside), the members started
 * together and checked, the apiservers started one at a time, /healthz through the VIP.
 */
public final class Restore {
    public static final String UPLOAD = "upload-snapshot";
    public static final String STOP_APISERVERS = "stop-apiservers";
    public static final String STOP_ETCD = "stop-etcd";
    public static final String RESTORE_DATA = "restore-data";
    public static final String START_ETCD = "start-etcd";
    public static final String START_APISERVERS = "start-apiservers";
    public static final String VERIFY = "verify";

    public static final Workflow<RestoreInput> WORKFLOW = new Workflow<>("restore", List.of(
            phase(UPLOAD, RestorePhases::upload),
            phase(STOP_APISERVERS, RestorePhases::stopApiservers, everywhere(UPLOAD)),
            phase(STOP_ETCD, RestorePhases::stopEtcd, everywhere(STOP_APISERVERS)),
            phase(RESTORE_DATA, RestorePhases::restoreData, everywhere(STOP_ETCD)),
            phase(START_ETCD, RestorePhases::startEtcd, everywhere(RESTORE_DATA)),
            phase(START_APISERVERS, RestorePhases::startApiservers, everywhere(START_ETCD)),
            phase(VERIFY, RestorePhases::verify, everywhere(START_APISERVERS))));

    private Restore() {
    }
}
