package io.remit.marathon.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The options, and the exact app JSON Marathon receives. */
class MarathonDeployTest {

    static final String[] OPTIONS = {"--marathon", "http://127.0.0.1:8080/", "--token", "t0k",
        "--scheduler-jar", "https://artifacts.example/remit/scheduler.jar",
        "--config", "https://artifacts.example/remit/scheduler.yml",
        "--credentials", "https://artifacts.example/remit/credentials.yml",
        "--artifacts", "https://artifacts.example/remit/", "--etcd", "https://etcd-1.example:2379,https://etcd-2.example:2379",
        "--mesos-master", "http://mesos.example:5050", "--instances", "3", "--mem", "768"};

    /** The JSON the client sends, pinned: a change here is a change to every cluster that runs Remit on Marathon. */
    static final String EXPECTED = """
            {
              "id": "/remit-scheduler",
              "cmd": "export REMIT_BIND=\\"$HOST\\" REMIT_PORT=\\"$PORT0\\" REMIT_ADMIN_PORT=\\"$PORT1\\" REMIT_VAR=\\"$MESOS_SANDBOX/var\\" && mkdir -p \\"$REMIT_VAR/log\\" && exec java -Xmx576m -Ddw.artifactsBaseUrl=https://artifacts.example/remit -Ddw.specsDir= -Ddw.auth.credentialsFile=credentials.yml -jar scheduler.jar server scheduler.yml",
              "instances": 3,
              "cpus": 1.0,
              "mem": 768.0,
              "disk": 0.0,
              "constraints": [
                [
                  "hostname",
                  "UNIQUE"
                ]
              ],
              "env": {
                "ETCD_ENDPOINT": "https://etcd-1.example:2379,https://etcd-2.example:2379",
                "MESOS_MASTER": "http://mesos.example:5050"
              },
              "labels": {
                "remit": "scheduler"
              },
              "fetch": [
                {
                  "uri": "https://artifacts.example/remit/scheduler.jar",
                  "executable": false,
                  "extract": true,
                  "cache": false
                },
                {
                  "uri": "https://artifacts.example/remit/scheduler.yml",
                  "executable": false,
                  "extract": true,
                  "cache": false
                },
                {
                  "uri": "https://artifacts.example/remit/credentials.yml",
                  "executable": false,
                  "extract": true,
                  "cache": false
                }
              ],
              "portDefinitions": [
                {
                  "port": 0,
                  "protocol": "tcp",
                  "name": "http",
                  "labels": {}
                },
                {
                  "port": 0,
                  "protocol": "tcp",
                  "name": "admin",
                  "labels": {}
                }
              ],
              "healthChecks": [
                {
                  "gracePeriodSeconds": 120,
                  "intervalSeconds": 10,
                  "maxConsecutiveFailures": 3,
                  "portIndex": 1,
                  "timeoutSeconds": 5,
                  "ignoreHttp1xx": false,
                  "path": "/healthcheck",
                  "protocol": "HTTP"
                }
              ],
              "upgradeStrategy": {
                "minimumHealthCapacity": 0.5,
                "maximumOverCapacity": 0.5
              }
            }""";

    @Test
    void theAppIsExactlyThis() {
        assertThat(MarathonDeploy.json(SchedulerApp.of(DeploySettings.parse(OPTIONS)))).isEqualTo(EXPECTED);
    }

    @Test
    void dryRunPrintsTheAppAndTouchesNothing() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String[] dry = java.util.Arrays.copyOf(OPTIONS, OPTIONS.length + 1);
        dry[OPTIONS.length] = "--dry-run";
        int status = MarathonDeploy.run(dry, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertThat(status).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).strip()).isEqualTo(EXPECTED);
    }

    @Test
    void helpPrintsTheUsageAndSucceeds() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(MarathonDeploy.run(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                System.err)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("usage: marathon-deploy --marathon URL");
    }

    @Test
    void everyBadOptionIsNamed() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = MarathonDeploy.run(new String[] {"--marathon", "ftp://x", "--instances", "0", "--cpus", "none",
            "--token", "a", "--user", "u", "--id", "/a/b", "--bogus", "1"}, System.out,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("""
                --marathon: an http, https or file URL, got ftp://x
                --instances: at least 1, got 0
                --cpus: a number, got none
                --bogus: unknown option
                --scheduler-jar: required
                --config: required
                --artifacts: required
                --etcd: required
                --mesos-master: required
                --token and --user: give one way to log in
                --user and --password go together
                --id: a one-level app id such as /remit-scheduler (lowercase letters, digits, '-')
                usage: marathon-deploy""");
    }
}
