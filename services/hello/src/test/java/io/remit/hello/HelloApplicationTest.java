package io.remit.hello;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.core.Application;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The whole app, as the executor starts it: config with a {@code remit:} block, env, both ports. */
@ExtendWith(DropwizardExtensionsSupport.class)
class HelloApplicationTest {

    private static final Path UNHEALTHY_FILE = tempDir().resolve("unhealthy");

    static final DropwizardAppExtension<HelloConfiguration> APP = new DropwizardAppExtension<>(
            new DropwizardTestSupport<>(HelloApplication.class, ResourceHelpers.resourceFilePath("hello-test.yml")) {
                @Override
                public Application<HelloConfiguration> newApplication() {
                    return new HelloApplication(Map.of(HelloApplication.GREETING_ENV, "Hej",
                            HelloApplication.UNHEALTHY_FILE_ENV, UNHEALTHY_FILE.toString()));
                }
            });

    @AfterEach
    void healthyAgain() throws IOException {
        Files.deleteIfExists(UNHEALTHY_FILE);
    }

    @Test
    void readsTheRemitBlock() {
        assertThat(APP.getConfiguration().getRemit())
                .isEqualTo(new RemitSettings("hello", "0.1.0", "hello.test-1", "http://127.0.0.1:2379"));
    }

    @Test
    void greetsWithTheGreetingFromTheEnvironment() {
        Greeting g = APP.client().target("http://127.0.0.1:" + APP.getLocalPort() + "/hello")
                .queryParam("name", "x").request().get(Greeting.class);
        assertThat(g).isEqualTo(new Greeting("Hej, x!", "hello.test-1", "0.1.0"));
    }

    @Test
    void theHealthCheckIsUnhealthyWhileTheSwitchFileExists() throws IOException {
        assertThat(healthcheck().getStatus()).isEqualTo(200);

        Files.createFile(UNHEALTHY_FILE);
        try (Response r = healthcheck()) {
            assertThat(r.getStatus()).isEqualTo(500);
            assertThat(r.readEntity(String.class)).contains("\"hello\"").contains("unhealthy while");
        }

        Files.delete(UNHEALTHY_FILE);
        assertThat(healthcheck().getStatus()).isEqualTo(200);
    }

    private static Response healthcheck() {
        return APP.client().target("http://127.0.0.1:" + APP.getAdminPort() + "/healthcheck").request().get();
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("hello-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
