package dev.kubeha.exec;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HostLockTest {
    @Test
    void aLockOfAVanishedProcessOnThisJumpHostIsStale() {
        HostLock.Holder self = HostLock.Holder.current(Clock.systemUTC());
        HostLock.Holder alive = new HostLock.Holder(self.jumpHost(), "root", ProcessHandle.current().pid(),
                Instant.EPOCH);
        long gone = ProcessHandle.current().pid() + 1_000_000;
        HostLock.Holder vanished = new HostLock.Holder(self.jumpHost(), "root", gone, Instant.EPOCH);
        HostLock.Holder elsewhere = new HostLock.Holder("other-jump-host", "root", gone, Instant.EPOCH);
        assertFalse(HostLock.isStale(alive.line(), self));
        assertTrue(HostLock.isStale(vanished.line(), self));
        assertFalse(HostLock.isStale(elsewhere.line(), self), "another jump host's process cannot be checked");
    }
}
