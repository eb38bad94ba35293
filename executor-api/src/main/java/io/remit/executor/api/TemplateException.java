package io.remit.executor.api;

/** A config template that does not render; {@link #placeholder()} is the offending name or text. */
public final class TemplateException extends IllegalArgumentException {

    private final String placeholder;

    public TemplateException(String placeholder, String message) {
        super(message);
        this.placeholder = placeholder;
    }

    /** The placeholder without a value (e.g. {@code port.grpc}), or the text that is not a placeholder. */
    public String placeholder() {
        return placeholder;
    }
}
