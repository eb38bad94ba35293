package io.remit.registry.discovery;

/**
 * Hears a registration's state changes, e.g. to report a lost registration in a health check.
 * Called on the registry's listener thread, one call at a time, in order.
 */
@FunctionalInterface
public interface RegistrationListener {

    RegistrationListener NONE = (registration, from, to) -> { };

    void stateChanged(Registration registration, Registration.State from, Registration.State to);
}
