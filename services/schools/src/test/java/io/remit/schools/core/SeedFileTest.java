package io.remit.schools.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeedFileTest {

    @Test
    void theBundledSeedIsTheFileInConfigsAndEverySchoolInItIsValid() throws Exception {
        try (InputStream in = SeedFileTest.class.getResourceAsStream(SeedFile.BUNDLED)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo(Files.readString(Path.of("../../configs/schools/schools.yml")));
        }
        List<SchoolRecord> seed = SeedFile.load("");
        assertThat(seed).hasSizeGreaterThanOrEqualTo(12);
        assertThat(seed).extracting(SchoolRecord::country).contains("GB", "US", "AU", "CA", "DE", "FR", "JP", "SG", "IN");
        assertThat(SeedFile.load("../../configs/schools/schools.yml")).isEqualTo(seed);
    }

    @Test
    void aBadSeedIsRefusedWithEveryProblemAndItsPosition() {
        String yaml = """
                schools:
                  - id: a
                    name: A
                    country: GB
                    currency: GBP
                    paymentMethods: [CARD]
                    bankAccount: {bankName: B, accountNumber: "12345678"}
                  - id: a
                    name: A again
                    country: XX
                    currency: GBP
                    paymentMethods: [CARD]
                    bankAccount: {bankName: B, accountNumber: "12345678"}
                """;
        assertThatThrownBy(() -> SeedFile.parse(yaml, "bad.yml")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("seed file bad.yml has 2 problem(s):\n"
                        + "  schools[1].country: is not an ISO 3166-1 alpha-2 country code: XX\n"
                        + "  schools[1].id: repeats a");
    }
}
