package dev.kubeha.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.events.EngineEvent;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DrillReportTest {
    private static EngineEvent.OutputLine line(String step, String text) {
        return new EngineEvent.OutputLine(Instant.EPOCH, "cp1", step, text);
    }

    @Test
    void theVipTargetIsHeldAgainstTheMedianOfTheRounds() {
        DrillReport report = new DrillReport();
        for (String answering : new String[] {"1.10", "5.00", "1.30", "0.90", "1.20"}) {
            report.accept(line("drill.vip.1", "kubeha-drill vip-moved=0.80 vip-answering=" + answering
                    + " vip-failback=4.10"));
        }
        report.accept(line("drill.vip.1", "some other output"));
        DrillReport.Row answering = report.rows().get(1);
        assertEquals(1.20, answering.value(), 1e-9);
        assertTrue(answering.ok());
        assertTrue(report.ok());
        assertTrue(report.table().contains("<= 3.0"), report.table());
    }

    @Test
    void aMissedTargetOrAFailedWriteFailsTheReport() {
        DrillReport slow = new DrillReport();
        slow.accept(line("drill.etcd", "kubeha-drill etcd-healthy=12.50 writes=40 failed-writes=0"));
        assertFalse(slow.ok());
        assertTrue(slow.table().contains("MISSED"), slow.table());
        DrillReport lostWrite = new DrillReport();
        lostWrite.accept(line("drill.etcd", "kubeha-drill etcd-healthy=2.00 writes=40 failed-writes=1"));
        assertFalse(lostWrite.ok());
        DrillReport outage = new DrillReport();
        outage.accept(line("drill.control-plane", "kubeha-drill apiserver-down=9.1 probes=50 failed-probes=40"
                + " longest-outage=8.00"));
        assertFalse(outage.ok());
        assertTrue(outage.json().startsWith("{\"ok\":false,"), outage.json());
    }
}
