package io.remit.fx.core;

import io.remit.fx.api.Money;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.random.RandomGenerator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Quote ids that carry the quote itself, so that any fx instance holding the same key can answer
 * for a quote another one priced, with no shared store:
 *
 * <pre>
 * id      = base64url(payload) "." base64url(HMAC-SHA256(key, payload))
 * payload = "q1|" source "|" sourceAmount "|" target "|" targetAmount "|" fee "|" rate "|"
 *           createdAt ms "|" expiresAt ms "|" nonce
 * </pre>
 *
 * The random nonce makes every id unique. An id that does not verify (tampered, truncated,
 * signed with another key) reads as unknown. The payload is signed, not encrypted: it holds
 * nothing the quote itself does not show. Rotating the key makes the quotes signed with the old
 * one unknown; they live for {@code quoteTtl} only. Thread-safe.
 */
public final class QuoteSigner {

    private static final String VERSION = "q1";
    private static final String ALGORITHM = "HmacSHA256";
    private static final int MAX_ID_LENGTH = 600;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODE = Base64.getUrlDecoder();

    private final SecretKeySpec key;
    private final RandomGenerator random;

    /** @param key the signing key; every instance of fx must use the same one */
    public QuoteSigner(String key) {
        this(key, new SecureRandom());
    }

    QuoteSigner(String key, RandomGenerator random) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("the quote signing key must not be empty");
        }
        this.key = new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), ALGORITHM);
        this.random = random;
    }

    /** A new id for {@code terms} (a new nonce each call). */
    public String idOf(QuoteTerms terms) {
        byte[] nonce = new byte[6];
        random.nextBytes(nonce);
        String payload = String.join("|", VERSION,
                terms.source().currency(), Long.toString(terms.source().amount()),
                terms.target().currency(), Long.toString(terms.target().amount()),
                Long.toString(terms.fee().amount()), terms.rate(),
                Long.toString(terms.createdAt().toEpochMilli()), Long.toString(terms.expiresAt().toEpochMilli()),
                B64.encodeToString(nonce));
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        return B64.encodeToString(bytes) + "." + B64.encodeToString(mac(bytes));
    }

    /** The terms an id carries, if it is one this key signed; empty for anything else. */
    public Optional<QuoteTerms> read(String id) {
        if (id == null || id.length() > MAX_ID_LENGTH) {
            return Optional.empty();
        }
        int dot = id.indexOf('.');
        if (dot <= 0 || dot != id.lastIndexOf('.')) {
            return Optional.empty();
        }
        Optional<byte[]> payload = decode(id.substring(0, dot));
        Optional<byte[]> signature = decode(id.substring(dot + 1));
        if (payload.isEmpty() || signature.isEmpty() || !MessageDigest.isEqual(mac(payload.get()), signature.get())) {
            return Optional.empty();
        }
        return parse(new String(payload.get(), StandardCharsets.UTF_8));
    }

    /** Strict base64url: only the canonical spelling of some bytes (no padding, unused bits zero). */
    private static Optional<byte[]> decode(String text) {
        try {
            byte[] bytes = B64_DECODE.decode(text);
            return B64.encodeToString(bytes).equals(text) ? Optional.of(bytes) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<QuoteTerms> parse(String payload) {
        String[] f = payload.split("\\|", -1);
        if (f.length != 10 || !f[0].equals(VERSION)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new QuoteTerms(Money.of(Long.parseLong(f[2]), f[1]), Money.of(Long.parseLong(f[4]), f[3]),
                    Money.of(Long.parseLong(f[5]), f[1]), f[6],
                    Instant.ofEpochMilli(Long.parseLong(f[7])), Instant.ofEpochMilli(Long.parseLong(f[8]))));
        } catch (RuntimeException e) {
            // signed by us, so only a payload of another version could get here
            return Optional.empty();
        }
    }

    private byte[] mac(byte[] payload) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
