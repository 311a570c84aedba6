package io.reelhook.task;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

/** One status event of a task (docs/subscribing.md); also the outbox entry: the relay publishes it to Kafka. */
@Entity
@Table(name = "task_event")
public class TaskEvent extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "event_id")
    public UUID eventId;
    /** Drawn by the database at insert, in commit order (see V50__sequence_at_insert.sql). */
    @Column(insertable = false, updatable = false)
    public Long sequence;

    @Column(name = "task_id")
    public String taskId;

    @Column(name = "index_id")
    public String indexId;

    @Column(name = "video_id")
    public String videoId;

    public String type;
    public String status;

    @Column(name = "previous_status")
    public String previousStatus;

    public String source;
    public boolean applied;
    public boolean completes;

    @Column(name = "notification_id")
    public String notificationId;

    @Column(name = "occurred_at")
    public OffsetDateTime occurredAt;

    @Column(name = "received_at")
    public OffsetDateTime receivedAt;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> metadata;
    /** The webhook's notification as Twelve Labs sent it (text, byte for byte); null for other sources. */
    public String notification;
}
