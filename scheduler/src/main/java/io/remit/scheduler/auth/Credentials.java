package io.remit.scheduler.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The known users and their hashed tokens and passwords; answers who an {@code Authorization}
 * header belongs to. Comparisons are of hashes, in constant time.
 */
public final class Credentials {

    private final Map<String, Caller> byTokenHash = new HashMap<>();
    private final Map<String, byte[]> passwordHashByName = new HashMap<>();
    private final Map<String, Role> roleByName = new HashMap<>();
    private final Map<String, Instant> expiresByName = new HashMap<>();

    /** What an {@code Authorization} header proved. */
    public sealed interface Outcome {
        /** A known, current user. */
        record Known(Caller caller) implements Outcome {}
        /** No header at all. */
        record Missing() implements Outcome {}
        /** A header that names no known token or user and password, or is malformed. */
        record Unknown() implements Outcome {}
        /** A known user whose credentials expired at {@code at}. */
        record Expired(String name, Instant at) implements Outcome {}
    }

    private Credentials(List<AuthSettings.User> users) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < users.size(); i++) {
            AuthSettings.User u = users.get(i);
            String at = "auth.users[" + i + "]";
            if (u.name == null || u.name.isBlank()) {
                problems.add(at + ".name is required");
                continue;
            }
            if (u.token == null && u.password == null) {
                problems.add(at + " (" + u.name + ") needs a token or a password");
            }
            roleByName.put(u.name, u.role);
            if (u.expires != null && !u.expires.isBlank()) {
                try {
                    expiresByName.put(u.name, Instant.parse(u.expires.strip()));
                } catch (DateTimeParseException e) {
                    problems.add(at + ".expires must be an ISO-8601 instant such as 2027-01-31T00:00:00Z");
                }
            }
            if (u.token != null) {
                parseHash(u.token, at + ".token", problems).ifPresent(h ->
                        byTokenHash.put(HexFormat.of().formatHex(h), new Caller(u.name, u.role, "token")));
            }
            if (u.password != null) {
                parseHash(u.password, at + ".password", problems).ifPresent(h -> passwordHashByName.put(u.name, h));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid credentials: " + String.join("; ", problems));
        }
    }

    /**
     * The users of the settings and of their credentials file, if it exists.
     *
     * @throws UncheckedIOException when the file does not read; IllegalArgumentException when an
     *     entry is invalid (every problem named)
     */
    public static Credentials load(AuthSettings settings) {
        List<AuthSettings.User> users = new ArrayList<>(settings.users);
        if (settings.credentialsFile != null && !settings.credentialsFile.isBlank()) {
            Path file = Path.of(settings.credentialsFile);
            if (Files.exists(file)) {
                try {
                    AuthSettings fromFile = new ObjectMapper(new YAMLFactory()).readValue(file.toFile(), AuthSettings.class);
                    if (fromFile != null) {
                        users.addAll(fromFile.users);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read credentials file " + file + ": " + e.getMessage(), e);
                }
            }
        }
        return new Credentials(users);
    }

    public static Credentials of(List<AuthSettings.User> users) {
        return new Credentials(users);
    }

    public int size() {
        return roleByName.size();
    }

    /**
     * The caller an {@code Authorization} header names ({@code Bearer <token>}, {@code token=<token>}
     * as Marathon clients send it, or {@code Basic}); empty when it is missing, malformed, wrong or
     * expired.
     */
    public Optional<Caller> authenticate(String authorization) {
        return check(authorization, Instant.now()) instanceof Outcome.Known k ? Optional.of(k.caller()) : Optional.empty();
    }

    /** What {@code authorization} proves at {@code now}: a known user, or why not. */
    public Outcome check(String authorization, Instant now) {
        if (authorization == null) {
            return new Outcome.Missing();
        }
        Optional<Caller> caller = identify(authorization);
        if (caller.isEmpty()) {
            return new Outcome.Unknown();
        }
        Instant expires = expiresByName.get(caller.get().name());
        if (expires != null && !now.isBefore(expires)) {
            return new Outcome.Expired(caller.get().name(), expires);
        }
        return new Outcome.Known(caller.get());
    }

    private Optional<Caller> identify(String authorization) {
        String value = authorization.strip();
        if (value.startsWith("token=")) { // Marathon's and DC/OS's token header, as marathon-client sends it
            return Optional.ofNullable(byTokenHash.get(HexFormat.of().formatHex(sha256(value.substring(6).strip()))));
        }
        int space = value.indexOf(' ');
        if (space < 0) {
            return Optional.empty();
        }
        String scheme = value.substring(0, space).toLowerCase(Locale.ROOT);
        String rest = value.substring(space + 1).strip();
        if (scheme.equals("bearer")) {
            return Optional.ofNullable(byTokenHash.get(HexFormat.of().formatHex(sha256(rest))));
        }
        if (scheme.equals("basic")) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(rest), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return Optional.empty();
            }
            String name = decoded.substring(0, colon);
            byte[] expected = passwordHashByName.get(name);
            byte[] given = sha256(decoded.substring(colon + 1));
            if (expected != null && MessageDigest.isEqual(expected, given)) {
                return Optional.of(new Caller(name, roleByName.get(name), "basic"));
            }
        }
        return Optional.empty();
    }

    /** {@code sha256:<hex>} of a secret, as the settings hold it. */
    public static String hash(String secret) {
        return "sha256:" + HexFormat.of().formatHex(sha256(secret));
    }

    private static Optional<byte[]> parseHash(String stored, String field, List<String> problems) {
        String s = stored.strip();
        if (!s.startsWith("sha256:") || !s.substring(7).matches("[0-9a-fA-F]{64}")) {
            problems.add(field + " must be sha256:<64 hex digits> (the hash of the secret, not the secret)");
            return Optional.empty();
        }
        return Optional.of(HexFormat.of().parseHex(s.substring(7).toLowerCase(Locale.ROOT)));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
