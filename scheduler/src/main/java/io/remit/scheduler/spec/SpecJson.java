package io.remit.scheduler.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** Writes a spec as the JSON tree {@link SpecParser} reads; field order fixed, maps sorted. */
final class SpecJson {

    private SpecJson() {}

    /**
     * The spec as a tree; with {@code whole} false, only what an instance is started from (no
     * {@code instances}, no {@code signals}): what {@link SpecRevision} fingerprints.
     */
    static ObjectNode tree(ServiceSpec s, boolean whole) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode o = f.objectNode();
        o.put("id", s.id());
        o.put("version", s.version());
        s.artifacts().forEach(o.putArray("artifacts")::add);
        o.put("config", s.config());
        if (whole) {
            o.put("instances", s.instances());
        }
        if (s.resources() != null) {
            ObjectNode r = o.putObject("resources");
            r.put("cpus", s.resources().cpus());
            r.put("memMb", s.resources().memMb());
            r.put("diskMb", s.resources().diskMb());
            s.resources().ports().forEach(r.putArray("ports")::add);
        }
        s.jvmOptions().forEach(o.putArray("jvmOptions")::add);
        // Written only when set, so that the revision of a jar service is what it was before they existed.
        if (s.command() != null) {
            o.put("command", s.command());
        }
        if (s.args() != null) {
            s.args().forEach(o.putArray("args")::add);
        }
        ObjectNode env = o.putObject("env");
        for (Map.Entry<String, EnvValue> e : s.env().entrySet()) {
            if (e.getValue().secret()) {
                env.putObject(e.getKey()).put("value", e.getValue().value()).put("secret", true);
            } else {
                env.put(e.getKey(), e.getValue().value());
            }
        }
        HealthCheck h = s.healthCheck();
        ObjectNode health = o.putObject("healthCheck").put("path", h.path());
        if (!HealthCheck.DEFAULT_PORT.equals(h.port())) {
            health.put("port", h.port());
        }
        health.put("interval", h.interval().toString())
                .put("timeout", h.timeout().toString())
                .put("gracePeriod", h.gracePeriod().toString())
                .put("consecutiveFailures", h.consecutiveFailures());
        ArrayNode constraints = o.putArray("constraints");
        for (Constraint c : s.constraints()) {
            ArrayNode a = constraints.addArray();
            c.toSpec().forEach(a::add);
        }
        s.dependencies().forEach(o.putArray("dependencies")::add);
        ObjectNode labels = o.putObject("labels");
        s.labels().forEach(labels::put);
        SignalThresholds t = s.signals();
        if (whole && !t.isNone()) {
            ObjectNode signals = o.putObject("signals");
            if (t.maxErrorRatio() != null) {
                signals.put("maxErrorRatio", t.maxErrorRatio());
            }
            if (t.maxP99() != null) {
                signals.put("maxP99", t.maxP99().toString());
            }
        }
        DeploymentSpec d = s.deployment();
        if (whole && !d.isDefault()) {
            ObjectNode deployment = o.putObject("deployment");
            deployment.put("strategy", d.strategy().text());
            amount(deployment, "maxSurge", d.maxSurge());
            amount(deployment, "maxUnavailable", d.maxUnavailable());
            deployment.put("progressDeadline", d.progressDeadline().toString());
            if (!d.steps().isEmpty()) {
                ArrayNode steps = deployment.putArray("steps");
                for (DeploymentSpec.CanaryStep step : d.steps()) {
                    ObjectNode st = steps.addObject();
                    if (step.instances() != null) {
                        st.put("instances", step.instances());
                    }
                    if (step.weight() != null) {
                        st.put("weight", step.weight());
                    }
                    if (step.manual()) {
                        st.put("pause", "manual");
                    } else if (step.pause() != null) {
                        st.put("pause", step.pause().toString());
                    }
                }
            }
            if (d.previewManual()) {
                deployment.put("previewPause", "manual");
            } else if (d.previewPause() != null) {
                deployment.put("previewPause", d.previewPause().toString());
            }
            if (d.keepOld() != null) {
                deployment.put("keepOld", d.keepOld().toString());
            }
            if (d.analysis() != null) {
                deployment.set("analysis", d.analysis().deepCopy());
            }
        }
        return o;
    }

    private static void amount(ObjectNode o, String field, DeploymentSpec.Amount a) {
        if (a.percent()) {
            o.put(field, a.text());
        } else {
            o.put(field, a.value());
        }
    }

    static String write(ObjectMapper mapper, ServiceSpec spec) {
        try {
            return mapper.writeValueAsString(tree(spec, true));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot happen: writing a tree of strings and numbers", e);
        }
    }
}
