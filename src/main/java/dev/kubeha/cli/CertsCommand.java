package dev.kubeha.cli;

import java.util.List;

/** The group `kubeha certs`: check and renew the certificates of a cluster. */
final class CertsCommand implements Command {
    @Override
    public String name() {
        return "certs";
    }

    @Override
    public String summary() {
        return "Check or renew the cluster's certificates (etcd's PKI, the apiserver's etcd client, kubeadm's).";
    }

    @Override
    public List<Option> options() {
        return List.of(HELP);
    }

    @Override
    public List<Command> subcommands() {
        return List.of(new CertsCheckCommand(), new CertsRenewCommand());
    }

    @Override
    public int run(Arguments args, CliContext context) throws UsageException {
        throw new UsageException("certs", "name what to do: check or renew");
    }
}
