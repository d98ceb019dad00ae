package dev.kubeha.cli;

import dev.kubeha.answers.CheckedAnswers;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kubeha validate}: every problem of an answers file, without touching any host. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check an answers file offline and report every problem at once.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:no errors (warnings may be shown)", "1:the file has errors", "2:usage error"})
public final class ValidateCommand implements Callable<Integer> {
    private final CliContext context;

    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "The answers file.")
    Path file;

    @Option(names = {"-o", "--output"}, defaultValue = "text", paramLabel = "FORMAT",
            description = "text or json (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    public ValidateCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        CheckedAnswers checked = CheckedAnswers.check(file, context.today());
        context.out().print(output == OutputFormat.json ? ProblemReport.json(checked) : ProblemReport.text(checked));
        context.out().flush();
        return checked.hasErrors() ? ExitCodes.PROBLEMS : ExitCodes.OK;
    }
}
