package dev.kubeha.validate;

import dev.kubeha.model.ClusterSpec;
import java.time.LocalDate;
import java.util.List;

/** Runs every offline rule over a cluster spec and returns all problems found. */
public final class SpecValidator {
    private final List<Rule> rules;

    public SpecValidator(LocalDate today) {
        this.rules = List.of(new HostRules(), new LoadBalancerRules(), new NetworkRules(), new VersionRules(today),
                new AccessRules(), new PackageRepositoryRules());
    }

    public List<Problem> validate(ClusterSpec spec) {
        Problems out = new Problems();
        for (Rule rule : rules) {
            rule.check(spec, out);
        }
        return out.list();
    }
}
