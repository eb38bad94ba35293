package io.remit.mesos;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.remit.mesos.json.ProtoJson;
import java.util.Locale;
import java.util.Optional;

/** The two bodies the Mesos v1 HTTP APIs accept and produce. */
public enum MediaType {
    JSON("application/json"),
    PROTOBUF("application/x-protobuf");

    /** The header that carries the stream id of a scheduler's SUBSCRIBE. */
    public static final String STREAM_ID_HEADER = "Mesos-Stream-Id";
    /** The content type of a RecordIO stream: the RecordIO header names the type of each record. */
    public static final String RECORDIO = "application/recordio";
    /** The header a RecordIO response uses to say what each record holds. */
    public static final String MESSAGE_CONTENT_TYPE_HEADER = "Message-Content-Type";

    private final String mime;

    MediaType(String mime) {
        this.mime = mime;
    }

    public String mime() {
        return mime;
    }

    /** The media type named by a Content-Type header value, ignoring parameters and case. */
    public static Optional<MediaType> fromContentType(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String bare = header.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        for (MediaType t : values()) {
            if (t.mime.equals(bare)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /**
     * What an Accept header lets the server answer with: absent or any wildcard gives
     * {@code fallback}; otherwise the first listed type this API speaks; empty when none fits.
     */
    public static Optional<MediaType> negotiate(String accept, MediaType fallback) {
        if (accept == null || accept.isBlank()) {
            return Optional.of(fallback);
        }
        for (String part : accept.split(",")) {
            String bare = part.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            if (bare.equals("*/*") || bare.equals("application/*")) {
                return Optional.of(fallback);
            }
            Optional<MediaType> t = fromContentType(bare);
            if (t.isPresent()) {
                return t;
            }
        }
        return Optional.empty();
    }

    public byte[] encode(Message message) {
        return this == JSON ? ProtoJson.toJsonBytes(message) : message.toByteArray();
    }

    /** Decodes a body of this type; a missing required field is an error in both encodings. */
    public <M extends Message> M decode(byte[] body, Message.Builder builder) throws InvalidProtocolBufferException {
        if (this == JSON) {
            return ProtoJson.parse(body, builder);
        }
        builder.mergeFrom(body);
        if (!builder.isInitialized()) {
            throw new InvalidProtocolBufferException(
                    "Missing required fields: " + String.join(", ", builder.findInitializationErrors()));
        }
        @SuppressWarnings("unchecked")
        M m = (M) builder.build();
        return m;
    }
}
