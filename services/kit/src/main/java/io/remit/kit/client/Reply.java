package io.remit.kit.client;

import java.nio.charset.StandardCharsets;

/**
 * What a dependency answered: status, content type and body bytes; and which instance answered
 * after how many attempts.
 */
public record Reply(int status, String contentType, byte[] body, String instance, int attempts) {

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
