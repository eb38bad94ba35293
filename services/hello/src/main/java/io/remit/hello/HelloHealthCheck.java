package io.remit.hello;

import com.codahale.metrics.health.HealthCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code hello} health check. Healthy unless a failure switch is set and its file exists:
 * tests create the file named by {@code HELLO_UNHEALTHY_FILE} to make an instance unhealthy and
 * delete it to make it healthy again. Thread-safe.
 */
public class HelloHealthCheck extends HealthCheck {

    private final Optional<Path> unhealthyFile;

    public HelloHealthCheck(Optional<Path> unhealthyFile) {
        this.unhealthyFile = unhealthyFile;
    }

    @Override
    protected Result check() {
        if (unhealthyFile.isPresent() && Files.exists(unhealthyFile.get())) {
            return Result.unhealthy("unhealthy while " + unhealthyFile.get() + " exists");
        }
        return Result.healthy();
    }
}
