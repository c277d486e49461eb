package io.facestream.app.cluster;

import io.facestream.core.event.MatchEvent;
import io.facestream.core.topic.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A {@code read_committed} reader of {@code matches} from its beginning, on a thread of its own, that keeps every
 * event with the wall-clock time it arrived: what a downstream consumer saw, and when.
 */
public final class MatchWatch implements AutoCloseable {

    /** One event as it arrived. */
    public record Seen(MatchEvent event, Instant receivedAt) {
    }

    private final List<Seen> seen = new ArrayList<>();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private volatile boolean closed;
    private volatile RuntimeException failure;

    public MatchWatch(String bootstrap) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = new ArrayList<>();
        consumer.partitionsFor(Topics.MATCHES.name()).forEach(p -> parts.add(new TopicPartition(p.topic(),
                p.partition())));
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        thread = new Thread(this::read, "facestream-match-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void read() {
        try {
            while (!closed) {
                var records = consumer.poll(Duration.ofMillis(100));
                Instant now = Instant.now();
                List<Seen> batch = new ArrayList<>();
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    batch.add(new Seen(Topics.MATCHES.valueSerde().deserializer().deserialize(r.topic(), r.value()), now));
                }
                synchronized (seen) {
                    seen.addAll(batch);
                }
            }
        } catch (WakeupException | InterruptException e) {
            // closing
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** Everything seen so far, in arrival order. */
    public List<Seen> seen() {
        check();
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    /** The first arrival that passes {@code test}. */
    Optional<Seen> first(Predicate<Seen> test) {
        check();
        synchronized (seen) {
            return seen.stream().filter(test).findFirst();
        }
    }

    /** Waits up to {@code timeout} for an arrival that passes {@code test}. */
    public Optional<Seen> await(Predicate<Seen> test, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<Seen> s = first(test);
            if (s.isPresent() || System.nanoTime() > deadline) {
                return s;
            }
            Thread.sleep(100);
        }
    }

    private void check() {
        if (failure != null) {
            throw new IllegalStateException("the read_committed reader of " + Topics.MATCHES.name() + " failed: "
                    + failure.getMessage(), failure);
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        consumer.wakeup();
        thread.join(5000);
    }
}
