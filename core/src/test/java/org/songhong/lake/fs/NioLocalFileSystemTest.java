package org.songhong.lake.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileNotFoundException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.songhong.lake.LocalFiles;

/**
 * The local file system without child processes answers as Hadoop's does: a file's and a folder's
 * status, a missing path, a symbolic link, permissions, and the rename that refuses to overwrite,
 * which Delta's log store relies on so that two writers cannot both commit one version.
 */
class NioLocalFileSystemTest {
  @TempDir java.nio.file.Path dir;

  private Configuration conf() {
    Configuration c = new Configuration();
    LocalFiles.configure(c);
    c.setBoolean("fs.file.impl.disable.cache", true);
    return c;
  }

  @Test
  void theSettingsSelectItForFileSystemAndFileContext() throws Exception {
    FileSystem fs = new Path(dir.toUri()).getFileSystem(conf());
    assertThat(fs).isInstanceOf(NioLocalFileSystem.class);
    assertThat(((NioLocalFileSystem) fs).getRawFileSystem())
        .isInstanceOf(NioRawLocalFileSystem.class);
    FileContext fc = FileContext.getFileContext(dir.toUri(), conf());
    assertThat(fc.getDefaultFileSystem()).isInstanceOf(NioLocalFs.class);
  }

  @Test
  void linkStatusOfAFileAFolderAMissingPathAndALink() throws Exception {
    NioRawLocalFileSystem fs = new NioRawLocalFileSystem();
    fs.initialize(dir.toUri(), conf());
    java.nio.file.Path file =
        Files.writeString(dir.resolve("a.json"), "{}", StandardCharsets.UTF_8);
    var status = fs.getFileLinkStatus(new Path(file.toUri()));
    assertThat(status.isFile()).isTrue();
    assertThat(status.getLen()).isEqualTo(2);
    assertThat(status.isSymlink()).isFalse();
    assertThat(fs.getFileLinkStatus(new Path(dir.toUri())).isDirectory()).isTrue();
    assertThatThrownBy(() -> fs.getFileLinkStatus(new Path(dir.resolve("missing").toUri())))
        .isInstanceOf(FileNotFoundException.class);
    // A symbolic link (never in a lake) is left to Hadoop's code: the same answer as Hadoop's.
    java.nio.file.Path link = Files.createSymbolicLink(dir.resolve("link"), file);
    org.apache.hadoop.fs.RawLocalFileSystem hadoop = new org.apache.hadoop.fs.RawLocalFileSystem();
    hadoop.initialize(dir.toUri(), new Configuration());
    var linked = fs.getFileLinkStatus(new Path(link.toUri()));
    var expected = hadoop.getFileLinkStatus(new Path(link.toUri()));
    assertThat(linked.isSymlink()).isEqualTo(expected.isSymlink());
    assertThat(linked.getLen()).isEqualTo(expected.getLen());
  }

  @Test
  void permissionsAreTheNineBits() throws Exception {
    NioRawLocalFileSystem fs = new NioRawLocalFileSystem();
    fs.initialize(dir.toUri(), conf());
    java.nio.file.Path file = Files.writeString(dir.resolve("p"), "x", StandardCharsets.UTF_8);
    fs.setPermission(new Path(file.toUri()), new FsPermission((short) 0750));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rwxr-x---");
    fs.setPermission(new Path(file.toUri()), new FsPermission((short) 01644));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-r--r--");
    fs.mkdirs(new Path(dir.resolve("d/e").toUri()), new FsPermission((short) 0700));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("d/e"))))
        .isEqualTo("rwx------");
  }

  @Test
  void aRenameOntoAnExistingCommitIsRefused() throws Exception {
    FileContext fc = FileContext.getFileContext(dir.toUri(), conf());
    Path tmp = new Path(dir.resolve(".00001.json.tmp").toUri());
    Path commit = new Path(dir.resolve("00001.json").toUri());
    try (var out = fc.create(tmp, java.util.EnumSet.of(org.apache.hadoop.fs.CreateFlag.CREATE))) {
      out.write("first".getBytes(StandardCharsets.UTF_8));
    }
    fc.rename(tmp, commit, Options.Rename.NONE);
    assertThat(Files.readString(dir.resolve("00001.json"))).isEqualTo("first");
    Path other = new Path(dir.resolve(".other.tmp").toUri());
    try (var out = fc.create(other, java.util.EnumSet.of(org.apache.hadoop.fs.CreateFlag.CREATE))) {
      out.write("second".getBytes(StandardCharsets.UTF_8));
    }
    assertThatThrownBy(() -> fc.rename(other, commit, Options.Rename.NONE))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThat(Files.readString(dir.resolve("00001.json"))).isEqualTo("first");
  }
}
