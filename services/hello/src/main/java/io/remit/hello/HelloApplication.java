package io.remit.hello;

import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * hello: a minimal Dropwizard service that stands in for the payment services while Remit's
 * scheduler and executor are built. {@code GET /hello?name=x} on the application port, health
 * check {@code hello} on the admin port.
 *
 * <p>Environment: {@code GREETING} (default {@code Hello}) and {@code HELLO_UNHEALTHY_FILE} (see
 * {@link HelloHealthCheck}). {@code ${VAR}} in the configuration file is replaced by the
 * environment variable, as in Dropwizard's example.
 */
public class HelloApplication extends Application<HelloConfiguration> {

    public static final String GREETING_ENV = "GREETING";
    public static final String UNHEALTHY_FILE_ENV = "HELLO_UNHEALTHY_FILE";

    private static final Logger LOG = LoggerFactory.getLogger(HelloApplication.class);

    private final Map<String, String> env;

    public HelloApplication() {
        this(System.getenv());
    }

    /** An application that reads its settings from {@code env} instead of the process environment. */
    public HelloApplication(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    public static void main(String[] args) throws Exception {
        new HelloApplication().run(args);
    }

    @Override
    public String getName() {
        return "hello";
    }

    @Override
    public void initialize(Bootstrap<HelloConfiguration> bootstrap) {
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)));
    }

    @Override
    public void run(HelloConfiguration configuration, Environment environment) {
        RemitSettings remit = configuration.getRemit();
        String greeting = setting(GREETING_ENV).orElse("Hello");
        Optional<Path> unhealthyFile = setting(UNHEALTHY_FILE_ENV).map(Path::of);
        environment.jersey().register(new HelloResource(greeting, remit));
        environment.healthChecks().register("hello", new HelloHealthCheck(unhealthyFile));
        LOG.info("hello instance {} of service {} version {} starting (etcd: {})", remit.instanceId(), remit.service(),
                remit.version(), remit.etcdEndpoints().isEmpty() ? "none" : remit.etcdEndpoints());
    }

    private Optional<String> setting(String name) {
        return Optional.ofNullable(env.get(name)).filter(v -> !v.isBlank());
    }
}
