package dev.palate.engine;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.InferenceMode;

/**
 * A region of native work: every libtorch object allocated on this thread inside it is freed when it closes,
 * and autograd is off (inference mode) for its duration.
 *
 * <pre>
 * try (NativeScope scope = NativeScope.open()) {
 *     Tensor out = model.forward(x);
 *     return scope.detach(out);   // the caller now owns out and closes it
 * }
 * </pre>
 *
 * <p>Scopes are thread-local (a tensor made on another thread is not attached) and nest: an inner scope frees
 * its own temporaries first. Never create weights inside a scope you close before the model is done with them.
 */
public final class NativeScope implements AutoCloseable {
    private final PointerScope scope;
    private final List<Pointer> detached = new ArrayList<>();

    private NativeScope() {
        NativeRuntime.ensureLoaded();
        this.scope = new PointerScope();
        // Created inside the scope, so the scope restores the previous mode on close (LIFO), on this thread.
        new InferenceMode();
    }

    /** Opens a scope with inference mode on. */
    public static NativeScope open() {
        return new NativeScope();
    }

    /**
     * Lets {@code p} outlive this scope: it moves to the enclosing scope if there is one, otherwise the caller owns
     * it and must close it.
     */
    public <P extends Pointer> P detach(P p) {
        p.retainReference(); // survives this scope's release
        detached.add(p);
        return p;
    }

    @Override
    public void close() {
        scope.close();
        PointerScope outer = PointerScope.getInnerScope();
        if (outer != null) {
            for (Pointer p : detached) {
                outer.attach(p);      // the outer scope now holds a reference...
                p.releaseReference(); // ...and ours goes
            }
        }
        detached.clear();
    }
}
