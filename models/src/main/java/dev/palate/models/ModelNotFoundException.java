package dev.palate.models;

/** No weights were found for a model; the message lists every place looked at and the files expected there. */
public final class ModelNotFoundException extends RuntimeException {
    public ModelNotFoundException(String message) { super(message); }
}
