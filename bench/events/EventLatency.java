import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Commit-to-consumer latency of Reelhook's outbox: commits events into task_event at a fixed rate (as the task
 * ledger does: task row + event row in one transaction, the event's insert and the commit in one round trip) and
 * measures, per event, the time from the commit's return to a plain Kafka consumer receiving it on
 * twelvelabs.task-events. Also samples the outbox lag.
 *
 * java -cp CLASSPATH EventLatency.java JDBC_URL BOOTSTRAP EVENTS_PER_SECOND SECONDS [WRITERS]
 */
public class EventLatency {

    public static void main(String[] args) throws Exception {
        String jdbc = args[0];
        String bootstrap = args[1];
        int rate = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        int writers = args.length > 4 ? Integer.parseInt(args[4]) : 32;
        int total = rate * seconds;
        String run = UUID.randomUUID().toString().substring(0, 8);

        Map<String, Long> committed = new ConcurrentHashMap<>();
        Map<String, Long> received = new ConcurrentHashMap<>();
        // one event first, so that the topic exists (auto-created by the relay's producer) before measuring
        write(jdbc, run + "warm", 0, 1, 1, System.nanoTime(), 0, new ConcurrentHashMap<>());
        CountDownLatch assigned = new CountDownLatch(1);
        Thread consumer = consumer(bootstrap, received, total, assigned);
        consumer.start();
        assigned.await();

        AtomicLong maxPending = new AtomicLong();
        AtomicLong maxOldestMs = new AtomicLong();
        Thread sampler = sampler(jdbc, maxPending, maxOldestMs);
        sampler.start();

        long start = System.nanoTime();
        long intervalNanos = 1_000_000_000L * writers / rate;
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            Thread t = new Thread(() -> write(jdbc, run, writer, writers, total, start, intervalNanos, committed));
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        consumer.join(60_000);
        sampler.interrupt();

        List<Double> latencies = new ArrayList<>();
        committed.forEach((id, at) -> {
            Long got = received.get(id);
            if (got != null) {
                latencies.add((got - at) / 1e6);
            }
        });
        Collections.sort(latencies);
        System.out.printf(
                "target %d events/s for %d s: committed %d at %.0f/s, received %d (missing %d)%n",
                rate,
                seconds,
                committed.size(),
                committed.size() / elapsed,
                latencies.size(),
                committed.size() - latencies.size());
        System.out.printf(
                "commit -> consumer latency ms: p50 %.1f  p90 %.1f  p99 %.1f  max %.1f%n",
                pct(latencies, 50), pct(latencies, 90), pct(latencies, 99), pct(latencies, 100));
        System.out.printf(
                "outbox lag (sampled every 100 ms): max pending %d events, max oldest %d ms%n",
                maxPending.get(), maxOldestMs.get());
    }

    private static void write(
            String jdbc,
            String run,
            int writer,
            int writers,
            int total,
            long start,
            long intervalNanos,
            Map<String, Long> committed) {
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "postgres")) {
            c.setAutoCommit(false);
            PreparedStatement task = c.prepareStatement("""
                    INSERT INTO task (id, index_id, status, created_at, updated_at, heard_at)
                    VALUES (?, 'bench', 'ready', now(), now(), now()) ON CONFLICT (id) DO NOTHING""");
            PreparedStatement event = c.prepareStatement("""
                    INSERT INTO task_event (event_id, task_id, index_id, type, status, previous_status, source,
                        applied, completes, occurred_at, received_at)
                    VALUES (?::uuid, ?, 'bench', 'index.task.ready', 'ready', 'indexing', 'webhook', true, false,
                        now(), now());
                    COMMIT""");
            for (int i = writer; i < total; i += writers) {
                long due = start + (i / writers) * intervalNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                String eventId = UUID.randomUUID().toString();
                String taskId = "bench_" + run + "_" + i;
                task.setString(1, taskId);
                task.executeUpdate();
                event.setString(1, eventId);
                event.setString(2, taskId);
                // insert and commit in one round trip, as the ledger does: an event's insert holds the numbering lock
                // until its transaction ends
                event.execute();
                committed.put(eventId, System.nanoTime());
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Thread consumer(String bootstrap, Map<String, Long> received, int total, CountDownLatch assigned) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        return new Thread(() -> {
            try (KafkaConsumer<String, String> consumer =
                    new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
                List<TopicPartition> partitions = List.of();
                while (partitions.isEmpty()) {
                    partitions = consumer.partitionsFor("twelvelabs.task-events").stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .toList();
                }
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                partitions.forEach(consumer::position);
                assigned.countDown();
                long idleSince = System.nanoTime();
                while (received.size() < total && System.nanoTime() - idleSince < 30_000_000_000L) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(5))) {
                        long now = System.nanoTime();
                        Header id = record.headers().lastHeader("ce_id");
                        if (id != null) {
                            received.putIfAbsent(new String(id.value(), StandardCharsets.UTF_8), now);
                            idleSince = now;
                        }
                    }
                }
            }
        });
    }

    private static Thread sampler(String jdbc, AtomicLong maxPending, AtomicLong maxOldestMs) {
        return new Thread(() -> {
            try (Connection c = DriverManager.getConnection(jdbc, "postgres", "postgres");
                    PreparedStatement s = c.prepareStatement("""
                         SELECT count(*), coalesce(extract(epoch FROM clock_timestamp() - min(received_at)) * 1000, 0)
                         FROM task_event WHERE sequence > (SELECT published FROM outbox_cursor)""")) {
                while (!Thread.currentThread().isInterrupted()) {
                    try (ResultSet r = s.executeQuery()) {
                        r.next();
                        maxPending.accumulateAndGet(r.getLong(1), Math::max);
                        maxOldestMs.accumulateAndGet((long) r.getDouble(2), Math::max);
                    }
                    Thread.sleep(100);
                }
            } catch (InterruptedException done) {
                // finished
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static double pct(List<Double> sorted, int p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
