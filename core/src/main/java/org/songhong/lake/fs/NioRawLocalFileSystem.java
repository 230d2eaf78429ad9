package org.songhong.lake.fs;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsAction;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Hadoop's local file system without a child process per call. Without Hadoop's native library
 * (which no Maven artifact carries), {@link RawLocalFileSystem} runs {@code readlink} for every
 * rename through FileContext (each Delta commit does two) and {@code chmod} for every folder and
 * file it creates: measured, a fifth of the time of creating a lake's tables went to forking the
 * JVM (bench/README, "local file system"). Java's own calls answer the same questions: {@code
 * Files.isSymbolicLink} and {@code Files.setPosixFilePermissions}. A symbolic link, which songhong
 * never makes in a lake, is still answered by Hadoop's code; so is a file system without POSIX
 * permissions.
 */
public class NioRawLocalFileSystem extends RawLocalFileSystem {
  @Override
  public FileStatus getFileLinkStatus(Path f) throws IOException {
    File file = pathToFile(f);
    if (!Files.isSymbolicLink(file.toPath())) {
      return getFileStatus(
          f); // what Hadoop returns for a file or folder (FileNotFoundException when absent)
    }
    return super.getFileLinkStatus(f);
  }

  @Override
  public void setPermission(Path p, FsPermission permission) throws IOException {
    java.nio.file.Path path = pathToFile(p).toPath();
    if (!path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      super.setPermission(p, permission);
      return;
    }
    Files.setPosixFilePermissions(path, posix(permission));
  }

  /**
   * The nine permission bits (a sticky bit, which {@code chmod} would set, has no meaning for the
   * lake's files).
   */
  static Set<PosixFilePermission> posix(FsPermission permission) {
    Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
    add(
        s,
        permission.getUserAction(),
        PosixFilePermission.OWNER_READ,
        PosixFilePermission.OWNER_WRITE,
        PosixFilePermission.OWNER_EXECUTE);
    add(
        s,
        permission.getGroupAction(),
        PosixFilePermission.GROUP_READ,
        PosixFilePermission.GROUP_WRITE,
        PosixFilePermission.GROUP_EXECUTE);
    add(
        s,
        permission.getOtherAction(),
        PosixFilePermission.OTHERS_READ,
        PosixFilePermission.OTHERS_WRITE,
        PosixFilePermission.OTHERS_EXECUTE);
    return s;
  }

  private static void add(
      Set<PosixFilePermission> s,
      FsAction a,
      PosixFilePermission r,
      PosixFilePermission w,
      PosixFilePermission x) {
    if (a.implies(FsAction.READ)) {
      s.add(r);
    }
    if (a.implies(FsAction.WRITE)) {
      s.add(w);
    }
    if (a.implies(FsAction.EXECUTE)) {
      s.add(x);
    }
  }
}
