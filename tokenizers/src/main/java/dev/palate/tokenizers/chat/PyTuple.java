package dev.palate.tokenizers.chat;

import java.util.AbstractList;
import java.util.List;

/** A Python tuple: an immutable sequence that prints as {@code (a, b)} / {@code (a,)} and never equals a list. */
final class PyTuple extends AbstractList<Object> {

    private final List<Object> items;

    PyTuple(List<?> items) {
        this.items = items.stream().map(x -> (Object) x).toList(); // Stream.toList keeps None (null) items
    }

    @Override
    public Object get(int index) {
        return items.get(index);
    }

    @Override
    public int size() {
        return items.size();
    }
}
