package io.facestream.core.codec;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.MapperBuilder;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The two wire formats of facestream, each with one shared, configured Jackson mapper. */
public enum Format {
    /** Text, for values people and other systems read (matches, sightings, results, models). */
    JSON(configure(JsonMapper.builder())),
    /** Compact binary (RFC 8949), for bulk payloads (frames, images, crops); byte arrays stay raw. */
    CBOR(configure(CBORMapper.builder()));

    private final ObjectMapper mapper;

    Format(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The mapper of this format; thread-safe, shared, not to be reconfigured. */
    ObjectMapper mapper() {
        return mapper;
    }

    private static ObjectMapper configure(MapperBuilder<?, ?> builder) {
        return builder
                // One naming for every field in every format: the JSON reads like the topic table in DESIGN.
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                // Strict on input: a missing or mistyped field is an error, not a silent default.
                .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                // Newer producers may add fields; older consumers keep reading what they know.
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
    }
}
