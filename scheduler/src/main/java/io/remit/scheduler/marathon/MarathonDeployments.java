package io.remit.scheduler.marathon;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.remit.scheduler.release.Deployment;

/**
 * Remit's deployments as Marathon lists them ({@code GET /v2/deployments}): {@code id},
 * {@code version}, {@code affectedApps}, {@code affectedPods}, {@code steps} of
 * {@code {actions: [{action, app}]}}, {@code currentActions} (with {@code readinessCheckResults}),
 * {@code currentStep} (from 1) and {@code totalSteps}. Pure; thread-safe.
 *
 * <p>Three kinds are listed, only while in progress, as Marathon lists only those:
 * <ul>
 * <li>a deployment Remit persists (a change that replaces instances): running or paused while it
 *     still targets the app's current definition, one Marathon step per Remit step (each canary
 *     step, then the promotion), under Remit's own id ({@code <app>-<etcd revision>}, as
 *     {@code /v1/deployments} shows it), its version the time it was created;</li>
 * <li>one rolling back: Marathon cancels a deployment by creating a new one that reverts it, so
 *     the rollback is listed as that new deployment, {@code <id>-rollback}, one step, its version
 *     the time the rollback began;</li>
 * <li>what the engine does without a persisted plan (an app starting, scaling or restarting):
 *     one step, under {@code <app>-<etcd revision of its spec>}, the id the write that caused it
 *     answered.</li>
 * </ul>
 */
public final class MarathonDeployments {

    /** What the id of a deployment's rollback ends with. */
    public static final String ROLLBACK = "-rollback";

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private MarathonDeployments() {}

    /** The id of what a write of the app's spec starts: the spec key's etcd revision, as Remit names its deployments. */
    public static String id(String service, long specModRevision) {
        return service + "-" + specModRevision;
    }

    /**
     * Whether Marathon would list {@code d} (the app's newest deployment) now: running or paused
     * towards the app's current definition ({@code specRevision}), or rolling back.
     */
    public static boolean inProgress(Deployment d, String specRevision) {
        return switch (d.state()) {
            case RUNNING, PAUSED -> specRevision.equals(d.to());
            case ROLLING_BACK -> true;
            default -> false;
        };
    }

    /** The id Marathon clients know {@code d} by while it is in progress. */
    public static String marathonId(Deployment d) {
        return d.state() == Deployment.State.ROLLING_BACK ? d.id() + ROLLBACK : d.id();
    }

    /** The Remit deployment a Marathon id names, and whether it names its rollback. */
    public record Named(String remitId, boolean rollback) {
    }

    public static Named named(String marathonId) {
        if (marathonId.endsWith(ROLLBACK) && marathonId.length() > ROLLBACK.length()) {
            return new Named(marathonId.substring(0, marathonId.length() - ROLLBACK.length()), true);
        }
        return new Named(marathonId, false);
    }

    /**
     * The deployment's version: when it was created, or for a rollback when it began (a rollback
     * moves {@code progressAt} to that moment, and nothing moves it while it rolls back).
     */
    public static String version(Deployment d) {
        return MarathonVersion.iso(d.state() == Deployment.State.ROLLING_BACK ? d.progressAt() : d.createdAt());
    }

    /** A persisted deployment in Marathon's shape; call only while {@link #inProgress}. */
    public static ObjectNode of(Deployment d) {
        String app = "/" + d.service();
        if (d.state() == Deployment.State.ROLLING_BACK) {
            return shape(marathonId(d), version(d), app, "RestartApplication", 1, 1);
        }
        int total = d.steps().size();
        return shape(d.id(), version(d), app, "RestartApplication", Math.min(d.currentStep(), total - 1) + 1, total);
    }

    /**
     * What the engine carries out without a persisted deployment, in one step.
     *
     * @param action {@code StartApplication}, {@code ScaleApplication} or {@code RestartApplication}
     */
    public static ObjectNode engine(String id, String service, String version, String action) {
        return shape(id, version, "/" + service, action, 1, 1);
    }

    /**
     * The action of what the engine does: nothing ran yet, only the count changes, or instances
     * are replaced ({@code replacing}: the instances run more than one revision, counting a
     * restart's mark, or another definition than the app's).
     */
    public static String engineAction(int active, boolean replacing) {
        if (active == 0) {
            return "StartApplication";
        }
        return replacing ? "RestartApplication" : "ScaleApplication";
    }

    private static ObjectNode shape(String id, String version, String app, String action, int current, int total) {
        ObjectNode o = F.objectNode().put("id", id).put("version", version);
        o.putArray("affectedApps").add(app);
        o.putArray("affectedPods");
        ArrayNode steps = o.putArray("steps");
        for (int i = 0; i < total; i++) {
            steps.addObject().putArray("actions").addObject().put("action", action).put("app", app);
        }
        o.putArray("currentActions").addObject().put("action", action).put("app", app).putArray("readinessCheckResults");
        o.put("currentStep", current).put("totalSteps", total);
        return o;
    }
}
