package dev.palate.tokenizers.text;

import java.util.Arrays;

/** A growable int array for token ids; {@link #truncate} lets WordPiece roll back a partial word. */
public final class IntArrayBuilder {

    private int[] data;
    private int size;

    public IntArrayBuilder(int capacity) {
        data = new int[Math.max(1, capacity)];
    }

    public void add(int v) {
        if (size == data.length) {
            data = Arrays.copyOf(data, size * 2);
        }
        data[size++] = v;
    }

    public void addAll(int[] vs) {
        if (size + vs.length > data.length) {
            data = Arrays.copyOf(data, Math.max(size * 2, size + vs.length));
        }
        System.arraycopy(vs, 0, data, size, vs.length);
        size += vs.length;
    }

    public int size() {
        return size;
    }

    /** Drops everything after the first {@code newSize} ids. */
    public void truncate(int newSize) {
        size = newSize;
    }

    public int[] toArray() {
        return Arrays.copyOf(data, size);
    }
}
