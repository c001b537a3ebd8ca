package org.hybridbench.api;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** A running stage's view of its ports, implemented by the core. */
@ProviderType
public interface StageIO {

    /**
     * The value on a wired input.
     *
     * @throws IllegalArgumentException if the port is not declared or not wired (validation prevents this for
     *             required ports)
     */
    <T> T input(String port, PortType<T> type);

    /** The value on an optional input, empty when it is not wired. */
    <T> Optional<T> optionalInput(String port, PortType<T> type);

    /** Sets a declared output; every declared output must be set before {@link Stage#run} returns. */
    <T> void output(String port, PortType<T> type, T value);
}
