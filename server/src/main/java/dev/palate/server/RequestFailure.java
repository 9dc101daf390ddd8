package dev.palate.server;

/**
 * A request the server answers with an error status instead of scores: the status, a label for
 * {@code palate_errors_total{kind=...}}, and a message that says what to change.
 */
final class RequestFailure extends RuntimeException {
    final int status;
    final String kind;
    final int retryAfterSeconds; // 0: no Retry-After header

    RequestFailure(int status, String kind, String message) {
        this(status, kind, message, 0);
    }

    RequestFailure(int status, String kind, String message, int retryAfterSeconds) {
        super(message);
        this.status = status;
        this.kind = kind;
        this.retryAfterSeconds = retryAfterSeconds;
    }
}
