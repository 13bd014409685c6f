package org.sgdstab.io;

/**
 * Bad user input: a file that is missing, malformed or inconsistent, or an invalid option.
 * The message is one line that names the file or option and the problem; the CLI prints it
 * without a stack trace and exits with status 2.
 */
public final class InputException extends RuntimeException {
    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
