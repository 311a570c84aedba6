package io.reelhook.task;

import java.time.OffsetDateTime;
import java.util.Map;

/** A Twelve Labs indexing task as Reelhook knows it (a row of {@code task}), keyed by Twelve Labs' own task id. */
public class Task {

    public String id;
    public String indexId;
    public String videoId;
    public String status;
    public String filename;
    public Long sizeBytes;
    public Double duration;
    public Integer width;
    public Integer height;
    public String language;
    public Boolean enableVideoStream;
    public Map<String, Object> userMetadata;
    public OffsetDateTime createdAt;
    public OffsetDateTime updatedAt;
    public OffsetDateTime heardAt;
    public OffsetDateTime reconciledAt;
    public int reconcileAttempts;
    public OffsetDateTime stalledAt;
}
