package dev.kubeha.validate;

import dev.kubeha.model.ClusterSpec;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Runs every offline rule over a cluster spec and returns all problems found. */
public final class SpecValidator {
    private final List<Rule> rules;

    public SpecValidator(LocalDate today) {
        this.rules = List.of(new HostRules(), new LoadBalancerRules(), new NetworkRules(), new VersionRules(today),
                new AccessRules(), new PackageRepositoryRules(), new HostPathRules(), new EtcdBackupRules());
    }

    /** Every problem; a field holding a control character gets that one problem, not also each rule's about it. */
    public List<Problem> validate(ClusterSpec spec) {
        Problems text = new Problems();
        new TextRules().check(spec, text);
        Set<String> garbled = text.list().stream().map(Problem::path).collect(Collectors.toSet());
        Problems out = new Problems();
        out.addAll(text.list());
        for (Rule rule : rules) {
            Problems found = new Problems();
            rule.check(spec, found);
            out.addAll(found.list().stream().filter(p -> !garbled.contains(p.path())).toList());
        }
        return out.list();
    }
}
