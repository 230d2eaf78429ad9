package org.songhong.io;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;

/**
 * Decoding landed files: strictly (a byte that is not of the charset is an error, never a
 * replacement character).
 */
public final class Text {
  private Text() {}

  /**
   * {@code bytes} as {@code charset} text, without a leading byte-order mark; throws on malformed
   * or unmappable input.
   */
  public static String decode(byte[] bytes, Charset charset) throws CharacterCodingException {
    String text =
        charset
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes))
            .toString();
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }
}
