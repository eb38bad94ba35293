package io.remit.registry.etcd;

/**
 * An etcd request failed or did not answer within its deadline. Unchecked: callers on a request
 * path usually let it propagate; background loops in this package catch it, log it and retry.
 */
public class RegistryException extends RuntimeException {

    public RegistryException(String message, Throwable cause) {
        super(message, cause);
    }

    public RegistryException(String message) {
        super(message);
    }
}
