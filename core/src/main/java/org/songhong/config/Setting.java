package org.songhong.config;

import java.util.function.Function;

/**
 * One configuration key, declared once: its name, default, parser and description.
 *
 * @param <T> the parsed type
 */
public record Setting<T>(
    String key, String defaultValue, Function<String, T> parser, String description) {}
