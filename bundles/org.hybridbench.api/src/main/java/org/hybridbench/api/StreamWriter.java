package org.hybridbench.api;

import java.io.IOException;
import java.io.OutputStream;

/** Writes one artifact or checkpoint; the core makes the write atomic (temporary file, then rename). */
@FunctionalInterface
public interface StreamWriter {
    void write(OutputStream out) throws IOException;
}
