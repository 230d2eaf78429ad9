package org.songhong.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.songhong.error.Errors;

/**
 * Where the files of {@code schemas/} are read from: a folder given by the user (so a new target or
 * source descriptor takes effect without a rebuild), or the copy bundled in the jar (so the same
 * jar runs on a cluster where the repository is not).
 */
public final class SchemaResources {
  private final Path root;

  private SchemaResources(Path root) {
    this.root = root;
  }

  /** The folder {@code dir} if given and non-empty, else the bundled copy. */
  public static SchemaResources open(String dir) {
    if (dir != null && !dir.isBlank()) {
      Path p = org.songhong.config.SonghongConfig.local(Path.of(dir));
      if (!Files.isDirectory(p)) {
        throw Errors.badReference(dir, "the schemas folder does not exist");
      }
      return new SchemaResources(p);
    }
    return new SchemaResources(bundled());
  }

  private static Path bundled() {
    URL marker = SchemaResources.class.getClassLoader().getResource("schemas/README.md");
    if (marker == null) {
      throw Errors.buildMissing(
          "The bundled schemas/ are missing from the classpath: rebuild with 'mvn package'");
    }
    try {
      URI uri = marker.toURI();
      if ("jar".equals(uri.getScheme())) {
        FileSystem fs;
        try {
          fs = FileSystems.getFileSystem(uri);
        } catch (FileSystemNotFoundException e) {
          fs = FileSystems.newFileSystem(uri, Map.of());
        }
        return fs.getPath("/schemas");
      }
      return Path.of(uri).getParent();
    } catch (URISyntaxException | IOException e) {
      throw Errors.unreadableFile(marker.toString(), e.getMessage(), e);
    }
  }

  public Path root() {
    return root;
  }

  /** Files below {@code sub} whose names end with {@code suffix}, sorted by path. */
  public List<Path> list(String sub, String suffix) {
    Path dir = root.resolve(sub);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return new ArrayList<>(
          s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path resolve(String relative) {
    return root.resolve(relative);
  }

  /**
   * SHA-256 of every file of the folder (paths and contents, in path order): the contracts,
   * catalogs and descriptors a run used. A run records it, so a later run can tell that they
   * changed.
   */
  public String fingerprint() {
    try (Stream<Path> s = Files.walk(root)) {
      java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
      for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
        md.update(root.relativize(p).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        md.update((byte) 0);
        md.update(Files.readAllBytes(p));
      }
      return java.util.HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A path relative to the schemas root, for messages. */
  public String describe(Path p) {
    return "schemas/" + root.relativize(p);
  }
}
