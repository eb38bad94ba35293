package io.remit.registry.etcd;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secrets at rest with AES-256-GCM (the schools' account numbers, the scheduler's secret
 * env values in etcd). The key is derived from the configured secret and the user's purpose
 * (SHA-256 of both, so any string works; give it at least 32 random characters), so one secret
 * used by two components still gives each its own key. Each value gets a
 * fresh 96-bit IV, and is bound to a context (the school id) as associated data, so a ciphertext
 * moved to another school does not open. Sealed form:
 *
 * <pre>v1.&lt;key id&gt;.&lt;base64url(iv || ciphertext || tag)&gt;</pre>
 *
 * where the key id (8 hex digits of a separate hash of the secret) tells which key sealed a value,
 * so an instance with the wrong key can say so. Thread-safe.
 */
public final class SecretBox {

    private static final String VERSION = "v1";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final String keyId;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param purpose who seals, e.g. {@code remit-schools}: part of the key's derivation, so
     *     values sealed for one purpose do not open for another
     * @param secret the configured secret the key is derived from
     */
    public SecretBox(String purpose, String secret) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("the secrets key must not be empty");
        }
        this.key = new SecretKeySpec(sha256(purpose + "-aes-key:" + secret), "AES");
        this.keyId = HexFormat.of().formatHex(Arrays.copyOf(sha256(purpose + "-key-id:" + secret), 4));
    }

    /** Which key this box holds: 8 hex digits, safe to log. */
    public String keyId() {
        return keyId;
    }

    public String seal(String plaintext, String context) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();
            return VERSION + "." + keyId + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * The plaintext of a value {@link #seal}ed with the same key and context.
     *
     * @throws SecretException naming why (other key, tampered, not sealed); never with the plaintext
     */
    public String open(String sealed, String context) {
        String[] parts = sealed == null ? new String[0] : sealed.split("\\.");
        if (parts.length != 3 || !parts[0].equals(VERSION)) {
            throw new SecretException("not a sealed value (expected v1.<key id>.<data>)");
        }
        if (!parts[1].equals(keyId)) {
            throw new SecretException("sealed with key " + parts[1] + ", but this instance has key " + keyId
                    + " (check secretsKey)");
        }
        try {
            byte[] data = Base64.getUrlDecoder().decode(parts[2]);
            if (data.length <= IV_BYTES) {
                throw new SecretException("sealed value too short");
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, data, 0, IV_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(data, IV_BYTES, data.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new SecretException("sealed value is not base64url");
        } catch (GeneralSecurityException e) {
            throw new SecretException("sealed value does not open: altered, or sealed for another record");
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A sealed value could not be opened; the message says why, never what it held. */
    public static final class SecretException extends RuntimeException {
        SecretException(String message) {
            super(message);
        }
    }
}
