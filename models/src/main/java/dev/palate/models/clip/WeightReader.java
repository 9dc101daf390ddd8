package dev.palate.models.clip;

import java.util.List;
import java.util.function.Function;

import dev.palate.engine.DType;
import dev.palate.engine.Device;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Tensor;

/**
 * Reads weights by canonical (open_clip) name under a prefix: {@code w.at("visual").at("transformer")...get("conv1.weight")}.
 * Every tensor it hands out is on the model's device in the model's dtype, recorded in {@code owned} so the model
 * can free it. When the file already holds that (a CPU model in the checkpoint's dtype) the tensor is the
 * memory-mapped view itself, no copy: the mapping lives as long as a view of it does, whether or not the
 * {@code StateDict} is still open.
 */
final class WeightReader {
    private final Function<String, Tensor> source; // canonical key -> CPU tensor in the file's dtype
    private final String prefix;
    private final Device device;
    private final DType dtype;
    private final List<Tensor> owned;

    WeightReader(Function<String, Tensor> source, Device device, DType dtype, List<Tensor> owned) {
        this(source, "", device, dtype, owned);
    }

    private WeightReader(Function<String, Tensor> source, String prefix, Device device, DType dtype, List<Tensor> owned) {
        this.source = source;
        this.prefix = prefix;
        this.device = device;
        this.dtype = dtype;
        this.owned = owned;
    }

    WeightReader at(String name) {
        return new WeightReader(source, prefix + name + ".", device, dtype, owned);
    }

    WeightReader at(int index) {
        return at(Integer.toString(index));
    }

    /** The tensor in the model's dtype on its device. */
    Tensor get(String name) {
        return load(name, dtype);
    }

    /** The tensor in fp32 on the model's device (parameters that stay fp32, e.g. logit_scale). */
    Tensor getFloat32(String name) {
        return load(name, DType.F32);
    }

    private Tensor load(String name, DType type) {
        // A scope per weight: conversion temporaries (q/k/v concatenations, transposes, random draws) die at once
        // instead of piling up until the whole model is loaded.
        try (PointerScope scope = new PointerScope(); org.bytedeco.pytorch.Device dev = device.toTorch()) {
            Tensor src = source.apply(prefix + name);
            Tensor t = src.to(dev, type.scalarType(), false, false, new MemoryFormatOptional()).contiguous();
            t.retainReference(); // outlives the scopes; ClipModel.close() releases it
            owned.add(t);
            return t;
        }
    }
}
