package io.remit.hello;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GreetingJsonTest {

    private static final ObjectMapper MAPPER = Jackson.newObjectMapper();

    @Test
    void serializesToTheDocumentedJson() throws Exception {
        Greeting greeting = new Greeting("Hello, x!", "hello.7f3a", "0.1.0");
        assertThat(MAPPER.readTree(MAPPER.writeValueAsString(greeting)))
                .isEqualTo(MAPPER.readTree(fixture("fixtures/greeting.json")));
    }

    @Test
    void deserializesFromJson() throws Exception {
        assertThat(MAPPER.readValue(fixture("fixtures/greeting.json"), Greeting.class))
                .isEqualTo(new Greeting("Hello, x!", "hello.7f3a", "0.1.0"));
    }

    private static String fixture(String name) throws IOException {
        try (InputStream in = GreetingJsonTest.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
