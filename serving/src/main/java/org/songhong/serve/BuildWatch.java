package org.songhong.serve;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Whether the build a JVM runs has been replaced since it started: the jar its classes came from
 * has another modification time or size, or is gone. The launcher starts a new warm runner for a
 * new build (its key holds the jar's time and size); the old one, which nobody sends commands to
 * any more, ends when it sees this rather than holding its memory until its idle end.
 */
public final class BuildWatch {
  private final Path path;
  private final String started;

  public BuildWatch(Path path) {
    this.path = path;
    this.started = stamp();
  }

  /** The jar (or class folder) {@code type} was loaded from. */
  public static BuildWatch of(Class<?> type) {
    try {
      return new BuildWatch(
          Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()));
    } catch (URISyntaxException e) {
      throw new IllegalStateException("where " + type.getName() + " was loaded from: " + e, e);
    }
  }

  public Path path() {
    return path;
  }

  public boolean changed() {
    return !stamp().equals(started);
  }

  private String stamp() {
    try {
      BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
      return a.lastModifiedTime().toMillis() + "." + a.size();
    } catch (IOException e) {
      return "gone";
    }
  }
}
