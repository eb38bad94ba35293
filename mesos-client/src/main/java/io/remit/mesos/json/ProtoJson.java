package io.remit.mesos.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Protobuf messages as JSON the way the Mesos master and agent speak it: field names are the
 * proto's snake_case names, enums their names, 64-bit integers plain JSON numbers, bytes base64,
 * and an unset optional field with an explicit default is written with that default (as
 * stout's {@code JSON::protobuf} does). Parsing accepts numbers and numeric strings alike and
 * ignores unknown fields, as Mesos does; a missing required field is an error.
 *
 * <p>Thread-safe.
 */
public final class ProtoJson {

    private static final JsonFactory JSON = new JsonFactory();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

    private ProtoJson() {
    }

    /** The message as Mesos-style JSON, UTF-8 encoded. */
    public static byte[] toJsonBytes(Message message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            writeMessage(g, message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The message as Mesos-style JSON. */
    public static String toJson(Message message) {
        return new String(toJsonBytes(message), StandardCharsets.UTF_8);
    }

    /**
     * Parses JSON into a message of the builder's type.
     *
     * @throws InvalidProtocolBufferException when the JSON is malformed, a value has the wrong
     *     type, or a required field is missing; the message says which
     */
    @SuppressWarnings("unchecked")
    public static <M extends Message> M parse(String json, Message.Builder builder)
            throws InvalidProtocolBufferException {
        requireOneValue(json);
        try {
            PARSER.merge(json, builder);
        } catch (InvalidProtocolBufferException e) {
            throw e;
        } catch (RuntimeException e) {
            // JsonFormat lets Gson's own exceptions escape for some malformed inputs.
            throw new InvalidProtocolBufferException(e.getMessage() == null ? e.toString() : e.getMessage());
        }
        if (!builder.isInitialized()) {
            throw new InvalidProtocolBufferException(
                    "Missing required fields: " + String.join(", ", builder.findInitializationErrors()));
        }
        return (M) builder.build();
    }

    /**
     * Rejects text that is not exactly one JSON value: JsonFormat reads the first value and
     * silently ignores whatever follows it.
     */
    private static void requireOneValue(String json) throws InvalidProtocolBufferException {
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() == null) {
                throw new InvalidProtocolBufferException("empty JSON document");
            }
            p.skipChildren();
            if (p.nextToken() != null) {
                throw new InvalidProtocolBufferException(
                        "unexpected content after the JSON value at column " + p.currentLocation().getColumnNr());
            }
        } catch (JsonProcessingException e) {
            throw new InvalidProtocolBufferException("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidProtocolBufferException(e);
        }
    }

    /** Parses UTF-8 JSON bytes; see {@link #parse(String, Message.Builder)}. */
    public static <M extends Message> M parse(byte[] json, Message.Builder builder)
            throws InvalidProtocolBufferException {
        return parse(new String(json, StandardCharsets.UTF_8), builder);
    }

    private static void writeMessage(JsonGenerator g, Message message) throws IOException {
        g.writeStartObject();
        for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
            if (field.isRepeated()) {
                int count = message.getRepeatedFieldCount(field);
                if (count == 0) {
                    continue;
                }
                g.writeFieldName(field.getName());
                g.writeStartArray();
                for (Object value : (List<?>) message.getField(field)) {
                    writeValue(g, field, value);
                }
                g.writeEndArray();
            } else if (message.hasField(field) || hasExplicitDefault(field)) {
                g.writeFieldName(field.getName());
                writeValue(g, field, message.getField(field));
            }
        }
        g.writeEndObject();
    }

    private static boolean hasExplicitDefault(FieldDescriptor field) {
        return field.toProto().hasDefaultValue() && !field.getOptions().getDeprecated();
    }

    private static void writeValue(JsonGenerator g, FieldDescriptor field, Object value) throws IOException {
        switch (field.getJavaType()) {
            case MESSAGE -> writeMessage(g, (Message) value);
            case ENUM -> g.writeString(((EnumValueDescriptor) value).getName());
            case STRING -> g.writeString((String) value);
            case BOOLEAN -> g.writeBoolean((Boolean) value);
            case BYTE_STRING -> g.writeString(Base64.getEncoder().encodeToString(((ByteString) value).toByteArray()));
            case INT -> writeInt(g, field, (Integer) value);
            case LONG -> writeLong(g, field, (Long) value);
            case FLOAT -> writeDouble(g, (Float) value);
            case DOUBLE -> writeDouble(g, (Double) value);
            default -> throw new IllegalStateException("unknown field type " + field.getJavaType());
        }
    }

    /** Plain decimal notation with a fractional part, as Mesos writes it: {@code 15.0}, {@code 1795828470.799}. */
    private static void writeDouble(JsonGenerator g, double value) throws IOException {
        if (Double.isFinite(value)) {
            g.writeNumber(new java.math.BigDecimal(Double.toString(value)).toPlainString());
        } else {
            g.writeNumber(value);
        }
    }

    private static void writeInt(JsonGenerator g, FieldDescriptor field, int value) throws IOException {
        boolean unsigned = field.getType() == FieldDescriptor.Type.UINT32 || field.getType() == FieldDescriptor.Type.FIXED32;
        if (unsigned) {
            g.writeNumber(Integer.toUnsignedLong(value));
        } else {
            g.writeNumber(value);
        }
    }

    private static void writeLong(JsonGenerator g, FieldDescriptor field, long value) throws IOException {
        boolean unsigned = field.getType() == FieldDescriptor.Type.UINT64 || field.getType() == FieldDescriptor.Type.FIXED64;
        if (unsigned && value < 0) {
            g.writeNumber(new java.math.BigInteger(Long.toUnsignedString(value)));
        } else {
            g.writeNumber(value);
        }
    }
}
