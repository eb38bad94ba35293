package io.remit.schools;

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
import org.junit.jupiter.api.Test;

/** The config files that ship (services/schools/schools.yml, the template in configs/services/schools.yml) bind and validate. */
class ConfigFilesTest {

    private static SchoolsConfiguration load(Path file) throws Exception {
        return new YamlConfigurationFactory<>(SchoolsConfiguration.class, Validators.newValidator(), Jackson.newObjectMapper(), "dw")
                .build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(),
                        new EnvironmentVariableSubstitutor(false)), file.toString());
    }

    @Test
    void theFileForRunningAloneUsesTheBundledSeedAndTheDevKeyByDefault() throws Exception {
        SchoolsConfiguration c = load(Path.of("schools.yml"));
        if (System.getenv("SCHOOLS_SECRETS_KEY") == null) {
            assertThat(c.secretsKey).isEqualTo(SchoolsConfiguration.DEV_SECRETS_KEY);
        }
        if (System.getenv("SCHOOLS_SEED_FILE") == null) {
            assertThat(c.seedFile).isEmpty();
        }
        assertThat(c.getRemit().service()).isEqualTo("schools");
    }

    @Test
    void theSpecTemplateRendersToAValidConfig() throws Exception {
        String template = new ObjectMapper(new YAMLFactory()).readTree(Path.of("../../configs/services/schools.yml").toFile())
                .get("config").asText();
        String rendered = template.replace("{{port.http}}", "31001").replace("{{port.admin}}", "31002")
                .replace("{{etcd.endpoints}}", "http://127.0.0.1:2379").replace("{{instance.id}}", "schools.1")
                .replace("{{service.version}}", "0.1.0");
        assertThat(rendered).doesNotContain("{{");
        Path file = Files.createTempFile("schools-spec-", ".yml");
        try {
            Files.writeString(file, rendered);
            SchoolsConfiguration c = load(file);
            assertThat(c.getRemit().instanceId()).isEqualTo("schools.1");
            assertThat(c.getRemit().endpoints()).containsExactly("http://127.0.0.1:2379");
        } finally {
            Files.delete(file);
        }
    }
}
