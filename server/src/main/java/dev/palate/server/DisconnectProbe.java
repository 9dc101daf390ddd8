package dev.palate.server;

import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * Notices an HTTP/1.1 client that closes its connection while its request waits for scores, so its queued items
 * are dropped instead of scored for nobody. Jetty reads nothing from a connection while a request on it is being
 * handled asynchronously (the protocol gives the client nothing to send), so a closed socket goes unseen until the
 * reply is written. A request still waiting after {@link #AFTER_MS} ms gets a read interest on its socket: readable
 * with end-of-stream means the client is gone. Such a reply then ends with {@code Connection: close}, since Jetty
 * cannot take the next request on a connection with a read pending; quicker requests keep their keep-alive
 * connection untouched. A pipelined request (bytes sent before the reply; no Python HTTP client does this) is read
 * by the probe and lost, and that connection is closed after the reply.
 */
final class DisconnectProbe {
    static final long AFTER_MS = 500;

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "palate-disconnect-probe");
        t.setDaemon(true);
        return t;
    });

    private final EndPoint endPoint;
    private final Runnable onGone;
    private boolean replied;  // guarded by this
    private boolean probing;  // guarded by this

    private DisconnectProbe(EndPoint endPoint, Runnable onGone) {
        this.endPoint = endPoint;
        this.onGone = onGone;
    }

    /** Watches {@code request}'s connection from {@link #AFTER_MS} on; {@code onGone} runs when the client has closed it. */
    static DisconnectProbe watch(Request request, Runnable onGone) {
        DisconnectProbe p = new DisconnectProbe(request.getConnectionMetaData().getConnection().getEndPoint(), onGone);
        TIMER.schedule(p::start, AFTER_MS, TimeUnit.MILLISECONDS);
        return p;
    }

    /** Called before the reply is written: whether the reply must close the connection (a read is pending on it). */
    synchronized boolean replyClosesConnection() {
        replied = true;
        return probing;
    }

    private synchronized void start() {
        if (replied || !endPoint.isOpen()) return;
        probing = true;
        endPoint.tryFillInterested(readable);
    }

    private final Callback readable = new Callback() {
        @Override
        public void succeeded() {
            int n;
            try {
                n = endPoint.fill(BufferUtil.allocate(1));
            } catch (IOException e) {
                n = -1;
            }
            if (n < 0) onGone.run();
            else if (n == 0) restart();
            // n > 0: a pipelined request; the reply closes the connection (probing stays true)
        }

        @Override
        public void failed(Throwable x) {
            onGone.run();
        }
    };

    private synchronized void restart() {
        if (!replied && endPoint.isOpen()) endPoint.tryFillInterested(readable);
    }
}
