package io.expansionsignals.config;

/** A setting is missing or wrong: the message names it, and the job stops before it starts. */
public class ConfigurationException extends RuntimeException {
    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
