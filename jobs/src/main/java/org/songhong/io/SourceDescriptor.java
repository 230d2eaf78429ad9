package org.songhong.io;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.LocalDate;

/**
 * A source of {@code schemas/sources/}: which landing files it covers (a glob relative to the
 * input folder), their layout, and which release (vintage) of the figures they carry. A new
 * yearbook edition is a new file plus a new descriptor, not new code.
 */
public record SourceDescriptor(
    @JsonProperty(value = "source_id", required = true) String sourceId,
    @JsonProperty(value = "family", required = true) String family,
    @JsonProperty(value = "layout", required = true) String layout,
    @JsonProperty(value = "files", required = true) String files,
    @JsonProperty(value = "vintage", required = true) String vintage,
    @JsonProperty(value = "published_on", required = true) LocalDate publishedOn,
    @JsonProperty(value = "release_status", required = true) String releaseStatus,
    @JsonProperty("publisher") String publisher,
    @JsonProperty("description") String description) {}
