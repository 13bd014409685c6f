package org.sgdstab.io;

import java.io.IOException;

/**
 * A consumer that may throw {@link IOException}, for bodies that write to a stream.
 *
 * @param <T> the type of the argument
 */
@FunctionalInterface
public interface IOConsumer<T> {
    /** Performs this operation on {@code t}. */
    void accept(T t) throws IOException;
}
