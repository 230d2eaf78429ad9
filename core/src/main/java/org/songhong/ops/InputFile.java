package org.songhong.ops;

/** An input file a run read: where, its SHA-256, and how many records it held. */
public record InputFile(String path, String checksum, long rows) {}
