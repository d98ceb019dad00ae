package dev.kubeha.cli;

import java.util.List;

/** Renders --help text for kubeha and for each command. */
final class Help {
    private Help() {
    }

    static String forCommand(Command command) {
        StringBuilder usage = new StringBuilder("Usage: kubeha ").append(command.name());
        for (Option o : command.options()) {
            usage.append(' ').append(o.required() ? o.synopsis() : "[" + o.synopsis() + "]");
            if (o.repeatable()) {
                usage.append("...");
            }
        }
        usage.append("\n\n").append(command.summary()).append("\n\nOptions:\n");
        table(usage, command.options().stream().map(o -> new String[] {String.join(", ", o.names())
                + (o.isFlag() ? "" : " " + o.param()), o.description()}).toList());
        if (!command.notes().isEmpty()) {
            usage.append('\n');
            command.notes().forEach(n -> usage.append(n).append('\n'));
        }
        return usage.toString();
    }

    static String forKubeha(List<Command> commands, List<Option> options) {
        StringBuilder usage = new StringBuilder("""
                Usage: kubeha [OPTIONS] [COMMAND]

                Install a highly-available Kubernetes cluster with kubeadm, over SSH, from this jump host.
                Without a command, kubeha opens its full-screen wizard.

                Commands:
                """);
        table(usage, commands.stream().map(c -> new String[] {c.name(), c.summary()}).toList());
        usage.append("\nOptions:\n");
        table(usage, options.stream().map(o -> new String[] {String.join(", ", o.names())
                + (o.isFlag() ? "" : " " + o.param()), o.description()}).toList());
        usage.append("\nRun 'kubeha COMMAND --help' for a command's options.\n");
        return usage.toString();
    }

    private static void table(StringBuilder out, List<String[]> rows) {
        int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        for (String[] row : rows) {
            out.append("  ").append(row[0]).append(" ".repeat(width - row[0].length() + 3)).append(row[1]).append('\n');
        }
    }
}
