package io.remit.scheduler.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class CredentialsTest {

    static Credentials credentials() {
        AuthSettings.User ci = new AuthSettings.User();
        ci.name = "ci";
        ci.role = Role.operator;
        ci.token = Credentials.hash("s3cret-token");
        ci.password = Credentials.hash("pw");
        return Credentials.of(List.of(ci));
    }

    @Test
    void aTokenIsAcceptedAsBearerAndAsMarathonClientsSendIt() {
        Credentials c = credentials();
        assertThat(c.authenticate("Bearer s3cret-token")).hasValueSatisfying(who -> assertThat(who.name()).isEqualTo("ci"));
        assertThat(c.authenticate("token=s3cret-token")).hasValueSatisfying(who -> assertThat(who.role()).isEqualTo(Role.operator));
        assertThat(c.authenticate("Basic " + Base64.getEncoder().encodeToString("ci:pw".getBytes(StandardCharsets.UTF_8))))
                .isPresent();
    }

    @Test
    void wrongOrMalformedCredentialsNameNoOne() {
        Credentials c = credentials();
        assertThat(c.authenticate("token=forged")).isEmpty();
        assertThat(c.authenticate("token=")).isEmpty();
        assertThat(c.authenticate("Token s3cret-token")).isEmpty();
        assertThat(c.authenticate("s3cret-token")).isEmpty();
    }
}
