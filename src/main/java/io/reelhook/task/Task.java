package io.reelhook.task;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.OffsetDateTime;
import java.util.Map;

/** A Twelve Labs indexing task as Reelhook knows it, keyed by Twelve Labs' own task id. */
@Entity
@Table(name = "task")
public class Task extends PanacheEntityBase {

    @Id
    public String id;

    @Column(name = "index_id")
    public String indexId;

    @Column(name = "video_id")
    public String videoId;

    public String status;
    public String filename;

    @Column(name = "size_bytes")
    public Long sizeBytes;

    public Double duration;
    public Integer width;
    public Integer height;
    public String language;

    @Column(name = "enable_video_stream")
    public Boolean enableVideoStream;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "user_metadata")
    public Map<String, Object> userMetadata;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;

    @Column(name = "heard_at")
    public OffsetDateTime heardAt;

    @Column(name = "reconciled_at")
    public OffsetDateTime reconciledAt;

    @Column(name = "reconcile_attempts")
    public int reconcileAttempts;

    @Column(name = "stalled_at")
    public OffsetDateTime stalledAt;
}
