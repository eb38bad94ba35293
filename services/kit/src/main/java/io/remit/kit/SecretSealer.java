package io.remit.kit;

import io.remit.registry.etcd.SecretBox;

/**
 * Seals secrets a service keeps at rest (schools' account numbers in its {@link ServiceData}):
 * AES-256-GCM under a key derived from a configured secret and a purpose, each value bound to a
 * context (e.g. the record's id) so that a sealed value moved to another record does not open.
 * The sealed form, {@code v1.<key id>.<data>}, names the key that sealed it, so an instance with
 * another key can say so. Thread-safe.
 */
public final class SecretSealer {

    /** A sealed value could not be opened; the message says why, never what it held. */
    public static final class UnsealableException extends RuntimeException {
        UnsealableException(String message) {
            super(message);
        }
    }

    private final SecretBox box;

    /**
     * @param purpose who seals, e.g. {@code remit-schools}: values sealed for one purpose do not
     *     open for another, whatever the secret
     * @param secret the configured secret (give it at least 32 random characters)
     * @throws IllegalArgumentException when the secret is empty
     */
    public SecretSealer(String purpose, String secret) {
        this.box = new SecretBox(purpose, secret);
    }

    /** Which key this sealer holds: 8 hex digits, safe to log. */
    public String keyId() {
        return box.keyId();
    }

    public String seal(String plaintext, String context) {
        return box.seal(plaintext, context);
    }

    /**
     * The plaintext of a value {@link #seal}ed with the same key and context.
     *
     * @throws UnsealableException naming why (another key, altered, not a sealed value)
     */
    public String open(String sealed, String context) {
        try {
            return box.open(sealed, context);
        } catch (SecretBox.SecretException e) {
            throw new UnsealableException(e.getMessage());
        }
    }
}
