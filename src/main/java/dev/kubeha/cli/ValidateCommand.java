package dev.kubeha.cli;

import dev.kubeha.answers.CheckedAnswers;
import java.util.List;

/** {@code kubeha validate}: every problem of an answers file, without touching any host. */
public final class ValidateCommand implements Command {
    static final Option FILE = Option.value("-f", "--file", "FILE", "The answers file.").mandatory();
    static final Option OUTPUT = Option.value("-o", "--output", "FORMAT", "text (default) or json.")
            .choices("text", "text", "json");

    @Override
    public String name() {
        return "validate";
    }

    @Override
    public String summary() {
        return "Check an answers file offline and report every problem at once.";
    }

    @Override
    public List<Option> options() {
        return List.of(FILE, OUTPUT, HELP);
    }

    @Override
    public List<String> notes() {
        return List.of("Exit codes: 0 no errors (warnings may be shown), 1 the file has errors, 2 usage error.");
    }

    @Override
    public int run(Arguments args, CliContext context) {
        CheckedAnswers checked = CheckedAnswers.check(args.path(FILE.name()).orElseThrow(), context.today());
        boolean json = args.value(OUTPUT).equals("json");
        context.out().print(json ? ProblemReport.json(checked) : ProblemReport.text(checked));
        context.out().flush();
        return checked.hasErrors() ? ExitCodes.PROBLEMS : ExitCodes.OK;
    }
}
