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

    @Test
    void credentialsStopWorkingWhenTheyExpire() {
        AuthSettings.User temp = new AuthSettings.User();
        temp.name = "contractor";
        temp.role = Role.operator;
        temp.token = Credentials.hash("short-lived");
        temp.expires = "2027-01-31T00:00:00Z";
        Credentials c = Credentials.of(List.of(temp));
        assertThat(c.check("Bearer short-lived", java.time.Instant.parse("2027-01-30T23:59:59Z")))
                .isInstanceOf(Credentials.Outcome.Known.class);
        assertThat(c.check("Bearer short-lived", java.time.Instant.parse("2027-01-31T00:00:00Z")))
                .isEqualTo(new Credentials.Outcome.Expired("contractor", java.time.Instant.parse("2027-01-31T00:00:00Z")));
        assertThat(c.check("Bearer other", java.time.Instant.parse("2027-01-01T00:00:00Z")))
                .isInstanceOf(Credentials.Outcome.Unknown.class);
        assertThat(c.check(null, java.time.Instant.parse("2027-01-01T00:00:00Z"))).isInstanceOf(Credentials.Outcome.Missing.class);
    }

    @Test
    void anExpiryThatIsNoInstantIsRefusedAtLoad() {
        AuthSettings.User u = new AuthSettings.User();
        u.name = "x";
        u.token = Credentials.hash("t");
        u.expires = "next tuesday";
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Credentials.of(List.of(u)))
                .hasMessageContaining("auth.users[0].expires must be an ISO-8601 instant");
    }
}
