package dev.kubeha.cli;

import java.util.List;
import picocli.AutoComplete;

/** {@code kubeha completion bash|zsh}: picocli's completion script for kubeha's commands and options. */
final class CompletionCommand implements Command {
    private static final Option SHELL = Option.positional("SHELL",
            "bash, or zsh (the same script, loaded through zsh's bashcompinit).").choices(null, "bash", "zsh")
            .mandatory();

    @Override
    public String name() {
        return "completion";
    }

    @Override
    public String summary() {
        return "Print the shell completion script for kubeha (install.sh installs the bash one).";
    }

    @Override
    public List<Option> options() {
        return List.of(SHELL, HELP);
    }

    @Override
    public List<String> notes() {
        return List.of("Try it in this shell: source <(kubeha completion bash)");
    }

    @Override
    public int run(Arguments args, CliContext context) {
        context.out().print(AutoComplete.bash("kubeha", args.tree()));
        context.out().flush();
        return ExitCodes.OK;
    }
}
