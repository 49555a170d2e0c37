package dev.graft.search;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one JSON form of {@link TrialMessage}s, used by every executor: a message is one line (no
 * newline inside), tagged with its {@code type}. NaN and infinities are written as JSON's
 * non-standard {@code NaN}/{@code Infinity} tokens so that a missing value survives the trip.
 * Thread-safe.
 */
public final class TrialCodec {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private TrialCodec() {}

    /** The message as one line of JSON. */
    public static String encode(TrialMessage message) {
        try {
            return JSON.writerFor(TrialMessage.class).writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + message.getClass().getSimpleName(), e);
        }
    }

    /**
     * The message a line holds.
     *
     * @throws IllegalArgumentException if the line is not a trial message, in one line saying why
     */
    public static TrialMessage decode(String line) {
        try {
            return JSON.readValue(line, TrialMessage.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a trial message: " + e.getOriginalMessage());
        }
    }

    /**
     * The message a line holds, which must be of {@code type}.
     *
     * @throws IllegalArgumentException if it is not a message, or another kind
     */
    public static <T extends TrialMessage> T decode(String line, Class<T> type) {
        TrialMessage m = decode(line);
        if (!type.isInstance(m)) {
            throw new IllegalArgumentException("expected a " + type.getSimpleName() + ", got a "
                    + m.getClass().getSimpleName());
        }
        return type.cast(m);
    }
}
