package io.facestream.core.topic;

import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.serialization.Serde;

/**
 * One Kafka topic's contract: its name, the serdes of its keys and values, and the topic-level configs
 * it must be created with.
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, Map<String, String> configs) {

    public Topic {
        if (name == null || !name.matches("[a-zA-Z0-9._-]{1,249}")) {
            throw new IllegalArgumentException("topic name must be 1-249 of [a-zA-Z0-9._-], was \"" + name + "\"");
        }
        if (keySerde == null || valueSerde == null) {
            throw new IllegalArgumentException("topic " + name + " needs a key and a value serde");
        }
        if (configs == null) {
            throw new IllegalArgumentException("topic " + name + " needs configs (empty for the broker's defaults), was null");
        }
        configs = Map.copyOf(configs);
    }

    /** The config value set for this topic, empty when the broker default applies. */
    public Optional<String> config(String key) {
        return Optional.ofNullable(configs.get(key));
    }

    /** A creation request for this topic with its configs. */
    public NewTopic newTopic(int partitions, short replicationFactor) {
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + " needs at least 1 partition, was " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("topic " + name + " needs a replication factor >= 1, was " + replicationFactor);
        }
        return new NewTopic(name, partitions, replicationFactor).configs(configs);
    }

    @Override
    public String toString() {
        return "Topic[" + name + "]";
    }
}
