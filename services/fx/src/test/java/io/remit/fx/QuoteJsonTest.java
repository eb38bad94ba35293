package io.remit.fx;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dropwizard.jackson.Jackson;
import io.remit.fx.api.Money;
import io.remit.fx.api.Quote;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The Quote JSON fx answers and payments reads: {@code fixtures/quote.json}. */
class QuoteJsonTest {

    private static final ObjectMapper MAPPER = Jackson.newObjectMapper().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final Quote QUOTE = new Quote(
            "cTF8VVNEfDEwMDAwfEdCUHw4MDAwfDUwfDAuOHwxNzY0MzI0OTMwMTIwfDE3NjQzMjQ5OTAxMjB8QUFBQUFBQUE.sig", "0.8",
            Money.of(10_000, "USD"), Money.of(8_000, "GBP"), Money.of(50, "USD"), Money.of(10_050, "USD"),
            Instant.parse("2025-11-28T10:15:30.120Z"), Instant.parse("2025-11-28T10:16:30.120Z"), false);

    @Test
    void serialisesToTheDocumentedJson() throws Exception {
        assertThat(MAPPER.readTree(MAPPER.writeValueAsString(QUOTE))).isEqualTo(MAPPER.readTree(fixture()));
    }

    @Test
    void deserialisesFromIt() throws Exception {
        assertThat(MAPPER.readValue(fixture(), Quote.class)).isEqualTo(QUOTE);
    }

    private static String fixture() throws Exception {
        try (InputStream in = QuoteJsonTest.class.getResourceAsStream("/fixtures/quote.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
