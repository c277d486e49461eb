/**
 * Jackson codecs for the topic values: JSON for what people and other systems read, CBOR for bulk
 * payloads. Both formats name fields in snake_case (e.g. {@code camera_id}, {@code frame_sequence}) and
 * write instants as ISO-8601 text; a failure to decode is always a {@link io.facestream.core.codec.CodecException}.
 */
package io.facestream.core.codec;
