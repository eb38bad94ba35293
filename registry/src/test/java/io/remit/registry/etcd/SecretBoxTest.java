package io.remit.registry.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SecretBoxTest {

    private final SecretBox box = new SecretBox("remit-schools", "test-only-secrets-key-0123456789abcdef");

    @Test
    void opensWhatItSealedAndSealsDifferentlyEachTime() {
        String a = box.seal("GB60BARC20000055779911", "schools/x");
        String b = box.seal("GB60BARC20000055779911", "schools/x");

        assertThat(a).startsWith("v1." + box.keyId() + ".").doesNotContain("GB60").doesNotContain("779911");
        assertThat(a).isNotEqualTo(b);
        assertThat(box.open(a, "schools/x")).isEqualTo("GB60BARC20000055779911");
        assertThat(new SecretBox("remit-schools", "test-only-secrets-key-0123456789abcdef").open(b, "schools/x")).isEqualTo("GB60BARC20000055779911");
    }

    @Test
    void refusesAnotherKeyAnotherRecordOrAlteredData() {
        String sealed = box.seal("483920175566", "schools/mit");
        SecretBox other = new SecretBox("remit-schools", "another-secrets-key-another-secrets-key");

        assertThatThrownBy(() -> other.open(sealed, "schools/mit")).isInstanceOf(SecretBox.SecretException.class)
                .hasMessage("sealed with key " + box.keyId() + ", but this instance has key " + other.keyId() + " (check secretsKey)");
        assertThatThrownBy(() -> box.open(sealed, "schools/nus")).isInstanceOf(SecretBox.SecretException.class)
                .hasMessageContaining("does not open");
        char last = sealed.charAt(sealed.length() - 5);
        String altered = sealed.substring(0, sealed.length() - 5) + (last == 'A' ? 'B' : 'A') + sealed.substring(sealed.length() - 4);
        assertThatThrownBy(() -> box.open(altered, "schools/mit")).isInstanceOf(SecretBox.SecretException.class)
                .hasMessageNotContaining("483920175566");
        assertThatThrownBy(() -> box.open("483920175566", "schools/mit")).isInstanceOf(SecretBox.SecretException.class)
                .hasMessageNotContaining("483920175566");
    }
}
