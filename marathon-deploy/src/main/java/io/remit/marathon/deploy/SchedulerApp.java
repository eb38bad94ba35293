package io.remit.marathon.deploy;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mesosphere.marathon.client.model.v2.App;
import mesosphere.marathon.client.model.v2.Fetchable;
import mesosphere.marathon.client.model.v2.HealthCheck;
import mesosphere.marathon.client.model.v2.PortDefinition;
import mesosphere.marathon.client.model.v2.UpgradeStrategy;

/**
 * The Marathon app that runs the Remit scheduler: {@code scheduler.jar} and its config fetched
 * into the sandbox, the REST port as {@code $PORT0} and the admin port as {@code $PORT1} (health
 * check {@code /healthcheck}, which a standby passes too), at most one scheduler per agent, and a
 * rolling upgrade that keeps at least half of them. The scheduler's config reads the ports, bind
 * address, etcd and Mesos master from the environment ({@code configs/scheduler.yml}); what has no
 * variable there is set with Dropwizard's {@code -Ddw.} overrides. Pure: the same settings give
 * the same app.
 */
final class SchedulerApp {

    private SchedulerApp() {}

    static App of(DeploySettings s) {
        App app = new App();
        app.setId(s.appId());
        String config = fileName(s.configUrl());
        int heapMb = s.memMb() * 3 / 4;
        StringBuilder cmd = new StringBuilder()
                .append("export REMIT_BIND=\"$HOST\" REMIT_PORT=\"$PORT0\" REMIT_ADMIN_PORT=\"$PORT1\" REMIT_VAR=\"$MESOS_SANDBOX/var\"")
                .append(" && mkdir -p \"$REMIT_VAR/log\"")
                .append(" && exec ").append(s.java()).append(" -Xmx").append(heapMb).append("m")
                .append(" -Ddw.artifactsBaseUrl=").append(s.artifactsUrl())
                .append(" -Ddw.specsDir=");
        if (s.credentialsUrl() != null) {
            cmd.append(" -Ddw.auth.credentialsFile=").append(fileName(s.credentialsUrl()));
        }
        cmd.append(" -jar ").append(fileName(s.schedulerJarUrl())).append(" server ").append(config);
        app.setCmd(cmd.toString());
        app.setInstances(s.instances());
        app.setCpus(s.cpus());
        app.setMem((double) s.memMb());
        app.setDisk(0.0);
        app.setPortDefinitions(List.of(port("http"), port("admin")));
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("ETCD_ENDPOINT", s.etcd());
        env.put("MESOS_MASTER", s.mesosMaster());
        app.setEnv(env);
        app.setLabels(Map.of("remit", "scheduler"));
        app.setConstraints(List.of(List.of("hostname", "UNIQUE")));
        HealthCheck health = new HealthCheck();
        health.setProtocol("HTTP");
        health.setPath("/healthcheck");
        health.setPortIndex(1);
        health.setGracePeriodSeconds(120);
        health.setIntervalSeconds(10);
        health.setTimeoutSeconds(5);
        health.setMaxConsecutiveFailures(3);
        app.setHealthChecks(List.of(health));
        UpgradeStrategy upgrade = new UpgradeStrategy();
        upgrade.setMinimumHealthCapacity(0.5);
        upgrade.setMaximumOverCapacity(0.5);
        app.setUpgradeStrategy(upgrade);
        List<Fetchable> fetch = new ArrayList<>();
        fetch.add(fetch(s.schedulerJarUrl()));
        fetch.add(fetch(s.configUrl()));
        if (s.credentialsUrl() != null) {
            fetch.add(fetch(s.credentialsUrl()));
        }
        app.setFetch(fetch);
        return app;
    }

    private static PortDefinition port(String name) {
        PortDefinition p = new PortDefinition();
        p.setPort(0);
        p.setProtocol("tcp");
        p.setName(name);
        return p;
    }

    private static Fetchable fetch(String uri) {
        Fetchable f = new Fetchable();
        f.setUri(uri);
        f.setExtract(true);
        f.setExecutable(false);
        f.setCache(false);
        return f;
    }

    /** The name the fetcher gives the file in the sandbox: the URL's last path segment. */
    static String fileName(String url) {
        String path = URI.create(url).getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
