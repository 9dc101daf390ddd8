package dev.palate.engine.weights;

import java.util.List;
import java.util.Set;
import java.util.function.Function;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Tensor;

import dev.palate.engine.DType;
import dev.palate.engine.Device;

/**
 * Reads a model's weights by name under a prefix, in the checkpoint's own naming (candle's {@code VarBuilder}):
 * {@code w.at("visual").at("blocks").at(3).get("attn.qkv.weight")}. Every tensor handed out is on the model's device
 * in the asked dtype and is recorded in {@code owned}, so the model frees them on close. When the checkpoint already
 * holds that (a CPU model in the file's dtype) the tensor is the memory-mapped view itself, not a copy: a 7B
 * checkpoint then "loads" in the time it takes to read its header. Each name read is recorded in {@code used}, so a
 * loader can check afterwards that every key of the file was consumed.
 */
public final class ScopedWeights {
    private final Function<String, Tensor> source; // full key → CPU tensor in the file's dtype
    private final String prefix;
    private final Device device;
    private final DType dtype;
    private final List<Tensor> owned;
    private final Set<String> used;

    /**
     * @param source full key → CPU tensor (e.g. {@code stateDict::get})
     * @param owned  receives every tensor handed out (retained: the owner releases them)
     * @param used   receives every full key read
     */
    public ScopedWeights(Function<String, Tensor> source, Device device, DType dtype, List<Tensor> owned, Set<String> used) {
        this(source, "", device, dtype, owned, used);
    }

    private ScopedWeights(Function<String, Tensor> source, String prefix, Device device, DType dtype, List<Tensor> owned, Set<String> used) {
        this.source = source;
        this.prefix = prefix;
        this.device = device;
        this.dtype = dtype;
        this.owned = owned;
        this.used = used;
    }

    /** The weights under {@code name.}. */
    public ScopedWeights at(String name) {
        return new ScopedWeights(source, prefix + name + ".", device, dtype, owned, used);
    }

    public ScopedWeights at(int index) { return at(Integer.toString(index)); }

    /** The same names in another dtype (e.g. an fp32 head on a bf16 backbone). */
    public ScopedWeights withDType(DType other) {
        return new ScopedWeights(source, prefix, device, other, owned, used);
    }

    /** The tensor {@code prefix + name} in this reader's dtype on its device. */
    public Tensor get(String name) { return load(name, dtype); }

    /** The tensor in fp32 (parameters kept in fp32 whatever the model dtype). */
    public Tensor getFloat32(String name) { return load(name, DType.F32); }

    public Device device() { return device; }

    public DType dtype() { return dtype; }

    /** The full key of {@code name} under this prefix (for messages). */
    public String key(String name) { return prefix + name; }

    private Tensor load(String name, DType type) {
        String key = prefix + name;
        // A scope per weight: conversion temporaries die at once instead of piling up until the model is loaded.
        try (PointerScope scope = new PointerScope(); org.bytedeco.pytorch.Device dev = device.toTorch()) {
            Tensor src = source.apply(key);
            Tensor t = src.to(dev, type.scalarType(), false, false, new MemoryFormatOptional()).contiguous();
            t.retainReference(); // outlives the scopes; the owner releases it
            synchronized (owned) {
                owned.add(t);
                used.add(key);
            }
            return t;
        }
    }
}
