package dev.palate.preprocess;

/** A file that could not be decoded into an image; the message names the file and the problem. */
public class ImageDecodeException extends RuntimeException {
    public ImageDecodeException(String message) { super(message); }

    public ImageDecodeException(String message, Throwable cause) { super(message, cause); }
}
