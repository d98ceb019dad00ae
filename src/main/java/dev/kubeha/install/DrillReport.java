package dev.kubeha.install;

import dev.kubeha.events.EngineEvent;
import dev.kubeha.events.EventSink;
import dev.kubeha.model.Json;
import dev.kubeha.plan.Drill;
import dev.kubeha.render.HaproxyConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Collects the drills' measurements from their output and holds them against the targets. */
public final class DrillReport implements EventSink {
    public static final double VIP_TARGET_SECONDS = 3.0;
    public static final double ETCD_TARGET_SECONDS = 10.0;
    /** haproxy takes a stopped apiserver out after fall × inter; the VIP must answer again within that. */
    public static final double CONTROL_PLANE_TARGET_SECONDS = HaproxyConfig.CHECK_FALL
            * HaproxyConfig.CHECK_INTER_SECONDS;

    /** One row of the table: what was measured, its value, the target it must not exceed (if any). */
    public record Row(String name, double value, Optional<Double> target) {
        public boolean ok() {
            return target.map(t -> value <= t).orElse(true);
        }
    }

    private final List<Map<String, Double>> vipRounds = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Double> etcd = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, Double> controlPlane = Collections.synchronizedMap(new LinkedHashMap<>());

    @Override
    public void accept(EngineEvent event) {
        if (event instanceof EngineEvent.OutputLine o && o.line().startsWith(Drill.RESULT)) {
            Map<String, Double> values = parse(o.line().substring(Drill.RESULT.length()));
            if (o.stepId().startsWith("drill.vip.")) {
                vipRounds.add(values);
            } else if (o.stepId().equals("drill.etcd")) {
                etcd.putAll(values);
            } else if (o.stepId().equals("drill.control-plane")) {
                controlPlane.putAll(values);
            }
        }
    }

    static Map<String, Double> parse(String pairs) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (String pair : pairs.trim().split("\\s+")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                try {
                    values.put(pair.substring(0, eq), Double.parseDouble(pair.substring(eq + 1)));
                } catch (NumberFormatException notANumber) {
                    // a value the drill did not measure stays out of the table
                }
            }
        }
        return values;
    }

    /** Every measured value with its target; a drill that did not run has no rows. */
    public List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        if (!vipRounds.isEmpty()) {
            rows.add(new Row("VIP moved off the haproxy-less holder (median of " + vipRounds.size() + ")",
                    median("vip-moved"), Optional.empty()));
            rows.add(new Row("/healthz through the VIP answering again (median of " + vipRounds.size() + ")",
                    median("vip-answering"), Optional.of(VIP_TARGET_SECONDS)));
            rows.add(new Row("VIP back on the holder after haproxy started (median)", median("vip-failback"),
                    Optional.empty()));
        }
        if (!etcd.isEmpty()) {
            rows.add(new Row("etcd leader restarted until healthy", etcd.getOrDefault("etcd-healthy", Double.NaN),
                    Optional.of(ETCD_TARGET_SECONDS)));
            rows.add(new Row("writes during the etcd drill that failed (of " + etcd.getOrDefault("writes", 0.0)
                    .intValue() + ")", etcd.getOrDefault("failed-writes", Double.NaN), Optional.of(0.0)));
        }
        if (!controlPlane.isEmpty()) {
            rows.add(new Row("longest /healthz outage through the VIP, one kube-apiserver stopped (probes "
                    + controlPlane.getOrDefault("failed-probes", 0.0).intValue() + " failed of "
                    + controlPlane.getOrDefault("probes", 0.0).intValue() + ")",
                    controlPlane.getOrDefault("longest-outage", Double.NaN),
                    Optional.of(CONTROL_PLANE_TARGET_SECONDS)));
        }
        return rows;
    }

    /** Each VIP round's /healthz-answering seconds, in order. */
    public List<Double> vipAnswering() {
        synchronized (vipRounds) {
            return vipRounds.stream().map(r -> r.getOrDefault("vip-answering", Double.NaN)).toList();
        }
    }

    public boolean ok() {
        return rows().stream().allMatch(r -> !Double.isNaN(r.value()) && r.ok());
    }

    public String table() {
        StringBuilder out = new StringBuilder(String.format("%-92s %8s %8s  %s%n", "measured", "value", "target",
                "result"));
        for (Row r : rows()) {
            out.append(String.format("%-92s %8.2f %8s  %s%n", r.name(), r.value(),
                    r.target().map(t -> String.format("<= %.1f", t)).orElse(""), r.ok() && !Double.isNaN(r.value())
                            ? "ok" : "MISSED"));
        }
        return out.toString();
    }

    public String json() {
        List<Object> rows = new ArrayList<>();
        for (Row r : rows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r.name());
            m.put("value", Double.isNaN(r.value()) ? null : r.value());
            m.put("target", r.target().orElse(null));
            m.put("ok", r.ok() && !Double.isNaN(r.value()));
            rows.add(m);
        }
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("ok", ok());
        all.put("vipAnsweringSeconds", vipAnswering());
        all.put("results", rows);
        return Json.write(all);
    }

    private double median(String key) {
        List<Double> values;
        synchronized (vipRounds) {
            values = vipRounds.stream().map(r -> r.getOrDefault(key, Double.NaN)).sorted().toList();
        }
        int n = values.size();
        return n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
    }
}
