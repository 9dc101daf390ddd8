package dev.palate.tokenizers.chat;

import java.util.AbstractList;
import java.util.List;

/**
 * A read-only Python iterable that is not a list: {@code dict_items}/{@code dict_keys}/{@code dict_values}, the
 * iterators {@code |items} and {@code |reverse} return, and {@code range}. Templates iterate them, take
 * {@code |length}/{@code |list} and test membership; printing one, indexing it or {@code tojson} on it is refused or
 * fails as in Python, since Palate cannot spell Python's {@code <... object at 0x...>}.
 */
final class PyView extends AbstractList<Object> {

    /** Python's type name: {@code dict_items}, {@code dict_keys}, {@code dict_values}, {@code dict_itemiterator}, {@code list_reverseiterator}, {@code range}. */
    final String pythonType;
    /** For {@code range}: its {@code str()}, e.g. {@code range(0, 3)}; null otherwise. */
    final String rangeText;
    /** Whether Python can take {@code len()} of it (views and ranges yes, iterators and generators no). */
    final boolean sized;
    private final List<Object> items;

    private PyView(String pythonType, List<?> items, String rangeText, boolean sized) {
        this.pythonType = pythonType;
        this.items = items.stream().map(x -> (Object) x).toList();
        this.rangeText = rangeText;
        this.sized = sized;
    }

    /** {@code dict_items}, {@code dict_keys}, {@code dict_values}: sized, not subscriptable. */
    static PyView view(String pythonType, List<?> items) {
        return new PyView(pythonType, items, null, true);
    }

    /** A one-shot iterator or generator: no len(), not reversible, not subscriptable. */
    static PyView iterator(String pythonType, List<?> items) {
        return new PyView(pythonType, items, null, false);
    }

    static PyView range(List<Long> items, String text) {
        return new PyView("range", items, text, true);
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
