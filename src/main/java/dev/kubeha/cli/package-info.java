/**
 * The command line: thin commands over the validated model and the engine.
 *
 * <p>picocli parses and checks the command line, writes --help, the usage errors (exit 2, naming the option, with
 * typo suggestions and "Try 'kubeha COMMAND --help'") and the completion script. It is compiled from its sources
 * (pom.xml) so that its classes enter the start-up cache; {@link dev.kubeha.cli.CommandTree} builds its command tree
 * from the commands below without reflection.
 *
 * <p>Adding a command is one class and one line:
 * <ol>
 * <li>A final class implementing {@link dev.kubeha.cli.Command}: {@code name()}, a one-line {@code summary()},
 * {@code options()} (its own {@link dev.kubeha.cli.Option}s as static final fields, shared ones such as
 * {@code Workspace.FILE} and {@code Workspace.STATE_DIR}, and {@code HELP} last), optional {@code notes()} (lines
 * after the options: exit codes, examples), optional {@code subcommands()} (for {@code kubeha certs check|renew}),
 * and {@code run(Arguments, CliContext)} returning an {@link dev.kubeha.cli.ExitCodes} value.</li>
 * <li>In {@code run}, read the options with {@code args.value(OPTION)}, {@code args.path(OPTION.name())} and
 * {@code args.flag(OPTION.name())}; required options, choices and repeats are already checked. A value only the
 * command can judge (a phase name, a URL) throws {@link dev.kubeha.cli.UsageException} naming the option.</li>
 * <li>Add an instance to {@code Main.commands()}; help, {@code kubeha help NAME} and completion follow from it.</li>
 * </ol>
 * Output goes to {@code context.out()} and {@code context.err()}, JSON through {@code model.Json}; problems exit 1
 * with a message naming the field or file, never a stack trace.
 */
package dev.kubeha.cli;
