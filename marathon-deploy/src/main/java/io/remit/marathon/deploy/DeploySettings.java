package io.remit.marathon.deploy;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code ./remit marathon-deploy} is told: where Marathon is and how to log in, and what the
 * scheduler app needs. Parsed from command-line options with every problem listed at once.
 *
 * @param marathon Marathon's base URL
 * @param token a token sent as {@code Authorization: token=<token>} (DC/OS, or Remit's own /v2), or null
 * @param user with {@code password}: basic auth towards Marathon, or null
 * @param appId the Marathon app id, one level ({@code /remit-scheduler})
 * @param instances how many schedulers (one leads, the others stand by)
 * @param cpus CPU shares per scheduler
 * @param memMb memory per scheduler, MB; the heap is three quarters of it
 * @param schedulerJarUrl where agents fetch {@code scheduler.jar}
 * @param configUrl where agents fetch the scheduler's config (a copy of {@code configs/scheduler.yml})
 * @param credentialsUrl where agents fetch the credentials file (hashes only), or null
 * @param artifactsUrl where agents fetch the executor and service jars the scheduler launches
 * @param etcd etcd client URLs, comma-separated, for {@code ETCD_ENDPOINT}
 * @param mesosMaster the Mesos master URL, for {@code MESOS_MASTER}
 * @param waitForDeployment whether to wait until Marathon reports the deployment done
 * @param dryRun print the app JSON and change nothing
 * @param java the java command on the agents
 */
record DeploySettings(String marathon, String token, String user, String password, String appId, int instances,
                      double cpus, int memMb, String schedulerJarUrl, String configUrl, String credentialsUrl,
                      String artifactsUrl, String etcd, String mesosMaster, boolean waitForDeployment, boolean dryRun,
                      String java) {

    static final String USAGE = """
            usage: marathon-deploy --marathon URL --scheduler-jar URL --config URL --etcd URLS --mesos-master URL
                                   --artifacts URL [--credentials URL] [--token T | --user U --password P]
                                   [--id /remit-scheduler] [--instances 2] [--cpus 1] [--mem 1024] [--java java]
                                   [--wait] [--dry-run]
            Creates or updates the Marathon app that runs the Remit scheduler (idempotent: the same
            options give the same app, and Marathon is told nothing new).""";

    /** The settings, or an {@link IllegalArgumentException} naming every problem. */
    static DeploySettings parse(String... args) {
        List<String> problems = new ArrayList<>();
        String marathon = null, token = null, user = null, password = null, jar = null, config = null, credentials = null;
        String artifacts = null, etcd = null, master = null, id = "/remit-scheduler", java = "java";
        int instances = 2, mem = 1024;
        double cpus = 1;
        boolean wait = false, dryRun = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--wait")) {
                wait = true;
                continue;
            }
            if (a.equals("--dry-run")) {
                dryRun = true;
                continue;
            }
            if (i + 1 >= args.length) {
                problems.add(a + ": needs a value");
                break;
            }
            String v = args[++i];
            switch (a) {
                case "--marathon" -> marathon = url(v, a, problems);
                case "--token" -> token = v;
                case "--user" -> user = v;
                case "--password" -> password = v;
                case "--id" -> id = v.startsWith("/") ? v : "/" + v;
                case "--instances" -> instances = number(v, a, 1, problems);
                case "--cpus" -> cpus = decimal(v, a, problems);
                case "--mem" -> mem = number(v, a, 256, problems);
                case "--scheduler-jar" -> jar = url(v, a, problems);
                case "--config" -> config = url(v, a, problems);
                case "--credentials" -> credentials = url(v, a, problems);
                case "--artifacts" -> artifacts = url(v, a, problems);
                case "--etcd" -> etcd = v;
                case "--mesos-master" -> master = url(v, a, problems);
                case "--java" -> java = v;
                default -> problems.add(a + ": unknown option");
            }
        }
        required(marathon, "--marathon", problems);
        required(jar, "--scheduler-jar", problems);
        required(config, "--config", problems);
        required(artifacts, "--artifacts", problems);
        required(etcd, "--etcd", problems);
        required(master, "--mesos-master", problems);
        if (token != null && user != null) {
            problems.add("--token and --user: give one way to log in");
        }
        if ((user == null) != (password == null)) {
            problems.add("--user and --password go together");
        }
        if (!id.matches("/[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")) {
            problems.add("--id: a one-level app id such as /remit-scheduler (lowercase letters, digits, '-')");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        return new DeploySettings(marathon.replaceAll("/+$", ""), token, user, password, id, instances, cpus, mem, jar,
                config, credentials, artifacts.replaceAll("/+$", ""), etcd, master, wait, dryRun, java);
    }

    private static void required(String value, String option, List<String> problems) {
        if (value == null) {
            problems.add(option + ": required");
        }
    }

    private static String url(String v, String option, List<String> problems) {
        try {
            URI u = URI.create(v);
            if (u.getScheme() == null || !List.of("http", "https", "file").contains(u.getScheme())) {
                problems.add(option + ": an http, https or file URL, got " + v);
            }
        } catch (IllegalArgumentException e) {
            problems.add(option + ": not a URL: " + v);
        }
        return v;
    }

    private static int number(String v, String option, int min, List<String> problems) {
        try {
            int n = Integer.parseInt(v);
            if (n < min) {
                problems.add(option + ": at least " + min + ", got " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            problems.add(option + ": a whole number, got " + v);
            return min;
        }
    }

    private static double decimal(String v, String option, List<String> problems) {
        try {
            double d = Double.parseDouble(v);
            if (!(d > 0)) {
                problems.add(option + ": greater than 0, got " + v);
            }
            return d;
        } catch (NumberFormatException e) {
            problems.add(option + ": a number, got " + v);
            return 1;
        }
    }
}
