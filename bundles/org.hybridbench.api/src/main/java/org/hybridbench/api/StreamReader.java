package org.hybridbench.api;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads back a checkpoint written with {@link StreamWriter}.
 *
 * @param <T> what the checkpoint restores
 */
@FunctionalInterface
public interface StreamReader<T> {
    T read(InputStream in) throws IOException;
}
