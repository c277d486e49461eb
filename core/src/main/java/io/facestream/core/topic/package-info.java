/** The topic catalogue: every topic's name, key and value serdes and Kafka configs, in one place. */
package io.facestream.core.topic;
