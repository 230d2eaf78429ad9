package org.songhong.io;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.songhong.error.Errors;

/**
 * Lists and reads landing files through Hadoop's FileSystem, so the same code reads a local folder,
 * HDFS or S3.
 */
public final class LandingFiles {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LandingFiles.class);

  /** A landing file read whole: its path relative to the landing folder, bytes and SHA-256. */
  public record Landed(String relativePath, String uri, byte[] bytes, String checksum) {}

  private final String root;
  private final Configuration hadoop;

  public LandingFiles(String root, Configuration hadoop) {
    this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    this.hadoop = hadoop;
  }

  /**
   * Files below {@code sub}, sorted, as paths relative to the landing root. Hidden files are
   * skipped.
   */
  public List<String> list(String sub) {
    Path dir = new Path(root + "/" + sub);
    try {
      FileSystem fs = dir.getFileSystem(hadoop);
      if (!fs.exists(new Path(root))) {
        throw Errors.inputMissing(root);
      }
      List<String> out = new ArrayList<>();
      if (!fs.exists(dir)) {
        return out;
      }
      String base = fs.makeQualified(new Path(root)).toUri().getPath();
      for (FileStatus s : FileTree.files(fs, dir)) {
        String name = s.getPath().getName();
        if (name.startsWith(".") || name.startsWith("_")) {
          continue;
        }
        String p = s.getPath().toUri().getPath();
        out.add(p.substring(base.length() + (base.endsWith("/") ? 0 : 1)));
      }
      out.sort(String::compareTo);
      return out;
    } catch (IOException e) {
      throw Errors.unreadableFile(dir.toString(), e.getMessage(), e);
    }
  }

  public Landed read(String relativePath) {
    Path p = new Path(root + "/" + relativePath);
    try {
      FileSystem fs = p.getFileSystem(hadoop);
      byte[] bytes;
      try (InputStream in = fs.open(p)) {
        bytes = in.readAllBytes();
      }
      return new Landed(relativePath, fs.makeQualified(p).toString(), bytes, sha256(bytes));
    } catch (IOException e) {
      throw Errors.unreadableFile(p.toString(), e.getMessage(), e);
    }
  }

  /**
   * The files of {@code sub} a job has not loaded yet, each read once, in listing order: a file
   * whose checksum is in {@code processed} (loaded by an earlier run) is skipped; a file with the
   * same content as an earlier file of this batch is not returned but handed to {@code duplicate}
   * with the first one's name (the job quarantines it with {@link #DUPLICATE_RULE}). The bronze
   * skeleton of the jobs that read their landing files on the driver, in one place.
   */
  public Iterable<Landed> newFiles(
      String sub,
      java.util.Set<String> processed,
      java.util.function.BiConsumer<Landed, String> duplicate) {
    List<String> files = list(sub);
    LOG.info("{} file(s) in {}/{}", files.size(), root, sub);
    // Read as the caller iterates, so one file's bytes are held at a time.
    return () ->
        new java.util.Iterator<>() {
          private final java.util.Iterator<String> names = files.iterator();
          private final java.util.Map<String, String> batch =
              new java.util.HashMap<>(); // checksum -> first file with it
          private Landed next;
          private boolean fetched;

          private Landed advance() {
            while (names.hasNext()) {
              String rel = names.next();
              Landed f = read(rel);
              if (processed.contains(f.checksum())) {
                LOG.info("Skipping {}: already ingested (same checksum)", rel);
                continue;
              }
              String first = batch.putIfAbsent(f.checksum(), rel);
              if (first != null) {
                duplicate.accept(f, first);
                continue;
              }
              return f;
            }
            return null;
          }

          // Fetched when asked for, so a duplicate is reported after the files before it were
          // handled.
          @Override
          public boolean hasNext() {
            if (!fetched) {
              next = advance();
              fetched = true;
            }
            return next != null;
          }

          @Override
          public Landed next() {
            if (!hasNext()) {
              throw new java.util.NoSuchElementException();
            }
            fetched = false;
            return next;
          }
        };
  }

  /** The rule and reason for a file whose content another file of the same batch already has. */
  public static final String DUPLICATE_RULE = "duplicate_file";

  public static String duplicateReason(String file, String first) {
    return "Cannot ingest "
        + file
        + ": it has the same content (SHA-256) as "
        + first
        + ", which this run loads; nothing to do if it is a copy, otherwise ask the sender for the right file";
  }

  /** The full address of a landing file. */
  public String uri(String relativePath) {
    return root + "/" + relativePath;
  }

  /** Whether {@code dir} exists (any Hadoop file system). */
  public static boolean exists(String dir, Configuration hadoop) {
    Path p = new Path(dir);
    try {
      return p.getFileSystem(hadoop).exists(p);
    } catch (IOException e) {
      throw Errors.unreadableFile(dir, e.getMessage(), e);
    }
  }

  /** The SHA-256 of a landing file, streamed (the file is not held in memory). */
  public String checksum(String relativePath) {
    return checksumOf(root + "/" + relativePath, hadoop);
  }

  /** The SHA-256 of the file at {@code uri} (any Hadoop file system), streamed. */
  public static String checksumOf(String uri, Configuration hadoop) {
    Path p = new Path(uri);
    try {
      FileSystem fs = p.getFileSystem(hadoop);
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      try (InputStream in = fs.open(p)) {
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
          md.update(buf, 0, n);
        }
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw Errors.unreadableFile(p.toString(), e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
