package io.remit.scheduler.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.remit.testkit.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokens rotated in the credentials file, without a restart. */
class CredentialsSourceTest {

    static String file(String... nameAndToken) {
        StringBuilder b = new StringBuilder("users:\n");
        for (int i = 0; i < nameAndToken.length; i += 2) {
            b.append("  - name: ").append(nameAndToken[i]).append("\n    role: operator\n    token: ")
                    .append(Credentials.hash(nameAndToken[i + 1])).append('\n');
        }
        return b.toString();
    }

    @Test
    void aRotatedTokenWorksAndTheOldOneStopsOnceTheFileChanges(@TempDir Path dir) throws Exception {
        Path creds = dir.resolve("credentials.yml");
        Files.writeString(creds, file("ci", "old-token"));
        AuthSettings settings = new AuthSettings();
        settings.credentialsFile = creds.toString();
        MutableClock clock = new MutableClock();
        CredentialsSource source = new CredentialsSource(settings, clock, Duration.ofSeconds(1));
        assertThat(source.current().authenticate("Bearer old-token")).isPresent();

        Files.writeString(creds, file("ci-2027", "new-token", "ci", "old-token"));
        Files.setLastModifiedTime(creds, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        assertThat(source.current().authenticate("Bearer new-token")).as("not looked at again within a second").isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(source.current().authenticate("Bearer new-token")).isPresent();
        assertThat(source.current().authenticate("Bearer old-token")).isPresent();

        Files.writeString(creds, file("ci-2027", "new-token"));
        Files.setLastModifiedTime(creds, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 10_000));
        clock.advance(Duration.ofSeconds(1));
        assertThat(source.current().authenticate("Bearer old-token")).isEmpty();
        assertThat(source.current().authenticate("Bearer new-token")).isPresent();
    }

    @Test
    void aBrokenFileKeepsTheUsersItHad(@TempDir Path dir) throws Exception {
        Path creds = dir.resolve("credentials.yml");
        Files.writeString(creds, file("ci", "the-token"));
        AuthSettings settings = new AuthSettings();
        settings.credentialsFile = creds.toString();
        MutableClock clock = new MutableClock();
        CredentialsSource source = new CredentialsSource(settings, clock, Duration.ofSeconds(1));

        Files.writeString(creds, "users:\n  - name: ci\n    token: not-a-hash\n");
        Files.setLastModifiedTime(creds, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        clock.advance(Duration.ofSeconds(2));
        assertThat(source.current().authenticate("Bearer the-token")).isPresent();
    }
}
