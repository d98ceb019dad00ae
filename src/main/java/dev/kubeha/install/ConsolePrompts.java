package dev.kubeha.install;

import dev.kubeha.ssh.HostKeyPolicy;
import dev.kubeha.ssh.SecretPrompt;
import java.io.Console;
import java.util.Optional;

/** Interactive answers the headless commands may need: secrets and host-key trust, asked on the console. */
public final class ConsolePrompts {
    /** Hosts connect in parallel; their questions are asked one at a time. */
    private static final Object ASKING = new Object();

    private ConsolePrompts() {
    }

    /** Asks on the terminal without echo; declines when there is no terminal. */
    public static SecretPrompt secrets() {
        return request -> {
            Console console = System.console();
            if (console == null) {
                return Optional.empty();
            }
            synchronized (ASKING) {
                return Optional.ofNullable(console.readPassword("%s: ", request.text()));
            }
        };
    }

    /** Unknown host keys: accepted only with --accept-new-host-keys, or when the operator confirms the fingerprint. */
    public static HostKeyPolicy hostKeys(boolean acceptNew) {
        if (acceptNew) {
            return HostKeyPolicy.ACCEPT_NEW;
        }
        return key -> {
            Console console = System.console();
            if (console == null) {
                return HostKeyPolicy.Decision.REJECT;
            }
            String answer;
            synchronized (ASKING) {
                answer = console.readLine("The host key of %s:%d is not known (%s %s). Trust it? [y/N] ",
                        key.host(), key.port(), key.keyType(), key.fingerprint());
            }
            return answer != null && answer.trim().equalsIgnoreCase("y") ? HostKeyPolicy.Decision.ACCEPT
                    : HostKeyPolicy.Decision.REJECT;
        };
    }

    public static boolean confirm(String question) {
        return answer(question + " [y/N] ").equalsIgnoreCase("y");
    }

    /** True only when the operator types {@code expected} exactly; false without a console. */
    public static boolean confirmByTyping(String question, String expected) {
        return answer(question + " ").equals(expected);
    }

    /** Waits until the operator presses Enter (so a message stays readable); returns at once without a console. */
    public static void pause(String prompt) {
        answer(prompt);
    }

    private static String answer(String prompt) {
        Console console = System.console();
        if (console == null) {
            return "";
        }
        String answer = console.readLine("%s", prompt);
        return answer == null ? "" : answer.trim();
    }
}
