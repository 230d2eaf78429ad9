package org.songhong.io;

/**
 * A rejected record or a whole rejected file or sheet (line 0), with its rule and a reason that
 * says what to do.
 */
public record Reject(String sheet, int line, int column, String raw, String rule, String reason) {}
