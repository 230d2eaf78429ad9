package org.songhong.io;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.songhong.contract.Yaml;
import org.songhong.error.Errors;

/**
 * Where a feed's data comes from, as its landing folder says in {@code _provenance.yaml} (a name
 * the ingest jobs never read as data): {@code figures: published} (a port authority's reports as
 * issued) or {@code illustrative} (invented or generated, like the bundled sample's reports and the
 * feeds {@code songhong generate} writes), and {@code source}, what it is. The figures the marts
 * compute from a feed take its provenance; a folder without the file is a real feed whose figures
 * are {@code computed} (docs/METHODS.md, "The bundled sample's figures").
 */
public record FeedProvenance(
    @JsonProperty(value = "figures", required = true) String figures,
    @JsonProperty(value = "source", required = true) String source) {
  public static final String FILE = "_provenance.yaml";

  /** The provenance file of {@code folder} (a path or URI), if it has one. */
  public static Optional<FeedProvenance> read(String folder, Configuration hadoop) {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(folder, FILE);
    try {
      FileSystem fs = p.getFileSystem(hadoop);
      if (!fs.exists(p)) {
        return Optional.empty();
      }
      FeedProvenance f;
      try (InputStream in = fs.open(p)) {
        f = Yaml.mapper().readValue(in, FeedProvenance.class);
      }
      if (!Set.of(SourceDescriptor.PUBLISHED, SourceDescriptor.ILLUSTRATIVE)
          .contains(f.figures())) {
        throw Errors.badReference(
            p.toString(), "figures must be published or illustrative, got " + f.figures());
      }
      return Optional.of(f);
    } catch (IOException e) {
      throw Errors.badReference(
          p.toString(),
          "cannot be read as {figures: published|illustrative, source: <what it is>}: "
              + Errors.firstLine(String.valueOf(e.getMessage())));
    }
  }

  /** Writes {@code folder}'s provenance file (the generators mark what they generate). */
  public static void write(Path folder, String figures, String source) throws IOException {
    Files.createDirectories(folder);
    Files.writeString(
        folder.resolve(FILE),
        "# What this feed's data is (docs/METHODS.md, \"The bundled sample's figures\").\n"
            + "figures: "
            + figures
            + "\nsource: \""
            + source.replace("\"", "'")
            + "\"\n",
        StandardCharsets.UTF_8);
  }
}
