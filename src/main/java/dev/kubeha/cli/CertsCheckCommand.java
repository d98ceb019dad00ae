package dev.kubeha.cli;

import dev.kubeha.install.ClusterStatus;
import dev.kubeha.model.Json;
import dev.kubeha.model.Printable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code kubeha certs check}: every certificate kubeha or kubeadm manages, on the hosts and here, with its expiry. */
public final class CertsCheckCommand implements Command {
    @Override
    public String name() {
        return "check";
    }

    @Override
    public String summary() {
        return "List every certificate of the cluster with its expiry (read-only); exit 1 if one expires within 30 days.";
    }

    @Override
    public List<Option> options() {
        return List.of(Workspace.FILE, StatusCommand.OUTPUT, ApplyCommand.ACCEPT_NEW, Workspace.STATE_DIR, HELP);
    }

    @Override
    public List<String> notes() {
        return List.of("Exit codes: 0 nothing expires within 30 days and every host answered, 1 otherwise, 2 usage.");
    }

    @Override
    public int run(Arguments args, CliContext context) {
        return StatusCommand.withSurvey(args, context, survey -> {
            ClusterStatus status = survey.run();
            if (args.value(StatusCommand.OUTPUT).equals("json")) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("schema", "kubeha.dev/certificates/v1");
                json.put("checkedAt", status.checkedAt().toString());
                json.put("unreachable", status.unreachable());
                json.put("certificates", status.toJson().get("certificates"));
                json.put("expiringSoon", status.toJson().get("expiringSoon"));
                context.out().println(Json.write(json));
            } else {
                status.unreachable().forEach((host, why) -> context.out().println(
                        Printable.of(host + ": unreachable: " + why)));
                context.out().print(StatusText.certificates(status));
            }
            context.out().flush();
            return status.expiringSoon().isEmpty() && status.unreachable().isEmpty() ? ExitCodes.OK
                    : ExitCodes.PROBLEMS;
        });
    }
}
