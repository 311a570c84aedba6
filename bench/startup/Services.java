import io.reelhook.embedded.EmbeddedKafkaServer;
import io.reelhook.embedded.EmbeddedPostgresServer;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * PostgreSQL and Kafka as the embedded ones, but in a process of their own: the external services of run.sh.
 * java -cp 'target/quarkus-app/app/*:target/quarkus-app/lib/main/*' bench/startup/Services.java DIR PG_PORT KAFKA_PORT
 * Prints "ready" once both accept connections; SIGTERM stops both.
 */
public class Services {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        EmbeddedPostgresServer postgres =
                EmbeddedPostgresServer.start(dir.resolve("postgres"), Integer.parseInt(args[1]));
        EmbeddedKafkaServer kafka = EmbeddedKafkaServer.start(dir.resolve("kafka"), Integer.parseInt(args[2]));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.close();
            try {
                postgres.close();
            } catch (Exception e) {
                e.printStackTrace();
            }
            stopped.countDown();
        }));
        System.out.println("ready " + postgres.jdbcUrl() + " " + kafka.bootstrapServers());
        stopped.await();
    }
}
