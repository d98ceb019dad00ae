package dev.kubeha.plan;

import dev.kubeha.model.Printable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A named, idempotent unit of remote work on one host.
 *
 * @param id stable identifier, unique within its host's plan (e.g. {@code lb.keepalived.config}); journals use it
 * @param title what an operator reads in the progress pane
 * @param host the host's name from the answers file
 * @param operations the mutations, in order; each is skipped when already done
 * @param verify what must hold afterwards
 * @param timeout limit for each operation and for the verification
 * @param attempts how often a transient failure (dropped connection, failed verification) is tried in all
 * @param everyRun true for a step whose effect wears off (renewing a join token): a journal entry never skips it
 */
public record Step(String id, String title, String host, List<Operation> operations, Optional<Verification> verify,
                   Duration timeout, int attempts, boolean everyRun) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

    public Step {
        title = Printable.of(title);
        operations = List.copyOf(operations);
        if (attempts < 1) {
            throw new IllegalArgumentException("a step is attempted at least once: " + id);
        }
    }

    public static Step of(String id, String title, String host, List<Operation> operations) {
        return new Step(id, title, host, operations, Optional.empty(), DEFAULT_TIMEOUT, 1, false);
    }

    public Step verifiedBy(Verification verification) {
        return new Step(id, title, host, operations, Optional.of(verification), timeout, attempts, everyRun);
    }

    public Step withTimeout(Duration limit) {
        return new Step(id, title, host, operations, verify, limit, attempts, everyRun);
    }

    public Step withAttempts(int count) {
        return new Step(id, title, host, operations, verify, timeout, count, everyRun);
    }

    public Step onEveryRun() {
        return new Step(id, title, host, operations, verify, timeout, attempts, true);
    }

    /** A digest of everything the step does: a journal entry only counts while the step is unchanged. */
    public String fingerprint() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            update(digest, id);
            for (Operation op : operations) {
                switch (op) {
                    case WriteFile w -> {
                        update(digest, "write " + w.file().path() + " " + w.file().mode() + " " + w.file().owner());
                        digest.update(w.file().content());
                    }
                    case RunCommand r -> update(digest, "run " + r.command() + " unless " + r.doneWhen().orElse("")
                            + " after-change " + r.onlyAfterChange());
                    case MergeBlock m -> update(digest, "merge " + m.path() + " " + m.block());
                    case PushFile f -> update(digest, "push " + f.source() + " " + f.path() + " " + f.sha256()
                            + (f.mode() == 0644 ? "" : " " + Integer.toOctalString(f.mode())));
                    case InstallFromArchive a -> update(digest, "archive " + a.archive() + " " + a.sha256() + " "
                            + a.members() + " " + a.targetDir() + (a.keepPackaged() ? " keep-packaged" : ""));
                }
            }
            verify.ifPresent(v -> update(digest, "verify " + v.command()));
            return HexFormat.of().formatHex(digest.digest(), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void update(MessageDigest digest, String text) {
        digest.update(text.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
    }
}
