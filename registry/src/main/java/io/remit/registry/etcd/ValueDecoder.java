package io.remit.registry.etcd;

/**
 * Turns a stored value into a typed one for a {@link PrefixCache}. Throwing (anything) marks the
 * value as undecodable: the cache logs it and leaves the key out of its snapshot.
 *
 * @param <T> the decoded type; should have value equality (a record), so unchanged values are
 *            not reported as changes
 */
@FunctionalInterface
public interface ValueDecoder<T> {

    /**
     * @param key   the key relative to the cache's prefix
     * @param value the stored bytes
     */
    T decode(String key, byte[] value) throws Exception;
}
