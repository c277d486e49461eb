/** Kafka serdes over the facestream codecs: one serde per topic value type, String keys. */
package io.facestream.core.serde;
