package io.remit.marathon.deploy;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;
import mesosphere.client.common.ModelUtils;
import mesosphere.marathon.client.Marathon;
import mesosphere.marathon.client.MarathonClient;
import mesosphere.marathon.client.MarathonException;
import mesosphere.marathon.client.model.v2.App;
import mesosphere.marathon.client.model.v2.Result;
import mesosphere.marathon.client.model.v2.VersionedApp;

/**
 * {@code ./remit marathon-deploy}: creates the Marathon app that runs the Remit scheduler
 * ({@link SchedulerApp}), or updates it if it exists; running it again with the same options
 * changes nothing. With {@code --wait}, returns once Marathon no longer lists the deployment
 * (at most 10 minutes). Exit status: 0 done, 1 Marathon refused or failed, 2 bad options.
 */
public final class MarathonDeploy {

    static final Duration WAIT_AT_MOST = Duration.ofMinutes(10);

    private MarathonDeploy() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** The app the options ask for; throws {@link IllegalArgumentException} naming every bad option. */
    public static App app(String... args) {
        return SchedulerApp.of(DeploySettings.parse(args));
    }

    /** Does what {@link #main} does, writing to {@code out} and {@code err}; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (java.util.List.of(args).contains("--help") || java.util.List.of(args).contains("-h")) {
            out.println(DeploySettings.USAGE);
            return 0;
        }
        DeploySettings s;
        try {
            s = DeploySettings.parse(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(DeploySettings.USAGE);
            return 2;
        }
        App app = SchedulerApp.of(s);
        if (s.dryRun()) {
            out.println(json(app));
            return 0;
        }
        Marathon marathon = s.token() != null ? MarathonClient.getInstanceWithTokenAuth(s.marathon(), s.token())
                : s.user() != null ? MarathonClient.getInstanceWithBasicAuth(s.marathon(), s.user(), s.password())
                : MarathonClient.getInstance(s.marathon());
        // marathon-client puts the id after "/v2/apps/" as it is: without its slash.
        String id = s.appId().substring(1);
        try {
            String deploymentId;
            if (exists(marathon, id)) {
                Result r = marathon.updateApp(id, app, false);
                deploymentId = r.getDeploymentId();
                out.println("updated " + s.appId() + " on " + s.marathon() + ": version " + r.getVersion()
                        + ", deployment " + deploymentId);
            } else {
                VersionedApp created = marathon.createApp(app);
                deploymentId = created.getDeployments() == null || created.getDeployments().isEmpty() ? null
                        : created.getDeployments().get(0).getId();
                out.println("created " + s.appId() + " on " + s.marathon() + ": version " + created.getVersion()
                        + (deploymentId == null ? "" : ", deployment " + deploymentId));
            }
            if (s.waitForDeployment() && deploymentId != null) {
                return awaitDeployment(marathon, deploymentId, out, err);
            }
            return 0;
        } catch (MarathonException e) {
            err.println("Marathon refused: " + e.getMessage());
            return 1;
        }
    }

    private static boolean exists(Marathon marathon, String id) {
        try {
            marathon.getApp(id);
            return true;
        } catch (MarathonException e) {
            if (e.getStatus() == 404) {
                return false;
            }
            throw e;
        }
    }

    private static int awaitDeployment(Marathon marathon, String deploymentId, PrintStream out, PrintStream err) {
        Instant deadline = Instant.now().plus(WAIT_AT_MOST);
        while (marathon.getDeployments().stream().anyMatch(d -> deploymentId.equals(d.getId()))) {
            if (Instant.now().isAfter(deadline)) {
                err.println("deployment " + deploymentId + " still running after " + WAIT_AT_MOST);
                return 1;
            }
            LockSupport.parkNanos(Duration.ofSeconds(2).toNanos());
        }
        out.println("deployment " + deploymentId + " done");
        return 0;
    }

    /** The app as the JSON Marathon receives: the client's own Gson mapping, as its encoder writes it. */
    static String json(App app) {
        return ModelUtils.GSON.toJson(app);
    }
}
