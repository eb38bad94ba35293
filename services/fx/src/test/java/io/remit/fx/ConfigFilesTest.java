package io.remit.fx;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The config files that ship (services/fx/fx.yml, the template in configs/services/fx.yml) bind and validate. */
class ConfigFilesTest {

    private static FxConfiguration load(Path file) throws Exception {
        return new YamlConfigurationFactory<>(FxConfiguration.class, Validators.newValidator(), Jackson.newObjectMapper(), "dw")
                .build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(),
                        new EnvironmentVariableSubstitutor(false)), file.toString());
    }

    @Test
    void theFileForRunningAloneUsesTheBundledRatesAndTheDevKeyByDefault() throws Exception {
        FxConfiguration c = load(Path.of("fx.yml"));
        if (System.getenv("FX_QUOTE_KEY") == null) {
            assertThat(c.quoteSigningKey).isEqualTo(FxConfiguration.DEV_SIGNING_KEY);
        }
        if (System.getenv("FX_RATES_FILE") == null) {
            assertThat(c.ratesFile).isEmpty();
        }
        assertThat(c.getRemit().hasEtcd()).isEqualTo(System.getenv("ETCD_ENDPOINTS") != null);
        assertThat(c.pricingDefaults().quoteTtl()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void theSpecTemplateRendersToAValidConfig() throws Exception {
        String template = new ObjectMapper(new YAMLFactory()).readTree(Path.of("../../configs/services/fx.yml").toFile())
                .get("config").asText();
        String rendered = template.replace("{{port.http}}", "31001").replace("{{port.admin}}", "31002")
                .replace("{{etcd.endpoints}}", "http://127.0.0.1:2379").replace("{{instance.id}}", "fx.1")
                .replace("{{service.version}}", "0.1.0");
        assertThat(rendered).doesNotContain("{{");
        Path file = Files.createTempFile("fx-spec-", ".yml");
        try {
            Files.writeString(file, rendered);
            FxConfiguration c = load(file);
            assertThat(c.getRemit().service()).isEqualTo("fx");
            assertThat(c.getRemit().instanceId()).isEqualTo("fx.1");
            assertThat(c.getRemit().endpoints()).containsExactly("http://127.0.0.1:2379");
            assertThat(c.feeBasisPoints).isEqualTo(50);
        } finally {
            Files.delete(file);
        }
    }
}
