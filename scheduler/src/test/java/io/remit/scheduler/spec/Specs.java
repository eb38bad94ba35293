package io.remit.scheduler.spec;

import java.util.List;
import java.util.Map;

/** Valid specs to start tests from. */
public final class Specs {

    private Specs() {}

    public static ServiceSpec minimal(String id) {
        return new ServiceSpec(id, "1.0.0", List.of("{{artifacts}}/" + id + ".jar"), "", 1,
                new Resources(0.5, 256, 0, List.of("http", "admin")), List.of(), Map.of(), null, List.of(), List.of(), Map.of());
    }

    /** A valid YAML spec with every field, for tests that break one thing at a time. */
    public static final String FULL_YAML = """
      id: payments
      version: "2.3.1"
      artifacts:
        - "{{artifacts}}/payments.jar"
        - https://artifacts.example.com/remit/agent.jar
      instances: 3
      resources:
        cpus: 0.5
        memMb: 512
        diskMb: 100
        ports: [http, admin]
      jvmOptions: ["-Xmx384m"]
      env:
        CURRENCY: EUR
        DB_PASSWORD: {value: hunter2, secret: true}
      healthCheck:
        path: /healthcheck
        interval: 5s
        timeout: 500ms
        gracePeriod: PT30S
        consecutiveFailures: 2
      constraints:
        - [hostname, UNIQUE]
        - [zone, GROUP_BY, 3]
        - [rack, LIKE, "r[1-3]"]
        - [zone, IS_NOT, eu-9]
      dependencies: [fx, schools]
      labels:
        team: payments
        tier: critical
      config: |
        server:
          applicationConnectors: [{type: http, port: {{port.http}}}]
          adminConnectors: [{type: http, port: {{ port.admin }}}]
        etcd: "{{etcd.endpoints}}"
        instance: "{{instance.id}}"
        version: "{{service.version}}"
      """;
}
