package io.remit.hello;

/**
 * The answer of {@code GET /hello}.
 *
 * @param greeting e.g. {@code Hello, x!}
 * @param instance the instance (task) id that answered
 * @param version the version of the service that answered
 */
public record Greeting(String greeting, String instance, String version) {
}
