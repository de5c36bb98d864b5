package org.cnn4j.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Frees every tensor created inside it (on this thread) when it closes, unless the tensor was
 * {@linkplain Tensor#detach() detached}. Scopes nest; a tensor belongs to the innermost open scope.
 *
 * <pre>{@code
 * try (TensorScope scope = TensorScope.open()) {
 *     Tensor tmp = Tensor.zeros(8, 3, 32, 32);   // freed at the end of the block
 *     result = compute(tmp).detach();            // survives the scope
 * }
 * }</pre>
 */
public final class TensorScope implements AutoCloseable {
    private static final ThreadLocal<Deque<TensorScope>> OPEN = ThreadLocal.withInitial(ArrayDeque::new);

    private final List<Tensor> owned = new ArrayList<>();
    private boolean closed;

    private TensorScope() {
    }

    public static TensorScope open() {
        TensorScope scope = new TensorScope();
        OPEN.get().push(scope);
        return scope;
    }

    static void register(Tensor t) {
        TensorScope scope = OPEN.get().peek();
        if (scope != null) {
            scope.owned.add(t);
            t.owner = scope;
        }
    }

    void release(Tensor t) {
        owned.remove(t);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        OPEN.get().remove(this);
        for (int i = owned.size() - 1; i >= 0; i--) {
            Tensor t = owned.get(i);
            t.owner = null;
            t.close();
        }
        owned.clear();
    }
}
