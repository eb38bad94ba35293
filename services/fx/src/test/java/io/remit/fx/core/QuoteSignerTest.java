package io.remit.fx.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.remit.fx.api.QuoteRequest;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QuoteSignerTest {

    private static final String KEY = "test-only-signing-key-0123456789abcdef";
    private static final QuoteTerms TERMS = QuotePricer.price(new QuoteRequest("GBP", "JPY", null, 1_000_000L),
            TestRates.PRICING, Instant.parse("2026-03-01T10:15:30.123Z"));

    private final QuoteSigner signer = new QuoteSigner(KEY);

    @Test
    void anIdCarriesTheWholeQuote() {
        String id = signer.idOf(TERMS);
        assertThat(id).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}");
        assertThat(signer.read(id)).contains(TERMS);
    }

    @Test
    void anotherSignerWithTheSameKeyReadsIt() {
        assertThat(new QuoteSigner(KEY).read(signer.idOf(TERMS))).contains(TERMS);
    }

    @Test
    void everyIdIsNew() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            ids.add(signer.idOf(TERMS));
        }
        assertThat(ids).hasSize(100);
    }

    @Test
    void anyChangedCharacterMakesItUnknown() {
        String id = signer.idOf(TERMS);
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            char other = c == 'A' ? 'B' : c == '.' ? '-' : 'A';
            String tampered = id.substring(0, i) + other + id.substring(i + 1);
            assertThat(signer.read(tampered)).as("changed at %d: %s", i, tampered).isEmpty();
        }
    }

    @Test
    void aForgedPayloadWithTheOldSignatureIsUnknown() {
        String id = signer.idOf(TERMS);
        String[] parts = id.split("\\.");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[0]), java.nio.charset.StandardCharsets.UTF_8);
        String cheaper = payload.replace("|533334|", "|1|");
        assertThat(cheaper).isNotEqualTo(payload);
        String forged = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(cheaper.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "." + parts[1];
        assertThat(signer.read(forged)).isEmpty();
    }

    @Test
    void idsOfAnotherKeyOrNoIdAtAllAreUnknown() {
        assertThat(new QuoteSigner("another-key-another-key-another-key!").read(signer.idOf(TERMS))).isEmpty();
        assertThat(signer.read("")).isEmpty();
        assertThat(signer.read("nonsense")).isEmpty();
        assertThat(signer.read("a.b.c")).isEmpty();
        assertThat(signer.read("%%%.###")).isEmpty();
        assertThat(signer.read("x".repeat(10_000) + ".y")).isEmpty();
        assertThat(signer.read(null)).isEmpty();
    }
}
