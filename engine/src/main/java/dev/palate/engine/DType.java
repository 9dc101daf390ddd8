package dev.palate.engine;

import org.bytedeco.pytorch.global.torch.ScalarType;

/** Element types Palate reads from checkpoints and computes in. */
public enum DType {
    F64(ScalarType.Double, 8, "F64"),
    F32(ScalarType.Float, 4, "F32"),
    F16(ScalarType.Half, 2, "F16"),
    BF16(ScalarType.BFloat16, 2, "BF16"),
    I64(ScalarType.Long, 8, "I64"),
    I32(ScalarType.Int, 4, "I32"),
    I16(ScalarType.Short, 2, "I16"),
    I8(ScalarType.Char, 1, "I8"),
    U8(ScalarType.Byte, 1, "U8"),
    BOOL(ScalarType.Bool, 1, "BOOL");

    private final ScalarType scalarType;
    private final int byteSize;
    private final String safetensorsName;

    DType(ScalarType scalarType, int byteSize, String safetensorsName) {
        this.scalarType = scalarType;
        this.byteSize = byteSize;
        this.safetensorsName = safetensorsName;
    }

    public ScalarType scalarType() { return scalarType; }

    public int byteSize() { return byteSize; }

    /** The dtype string of the safetensors header. */
    public String safetensorsName() { return safetensorsName; }

    public boolean isFloatingPoint() { return this == F64 || this == F32 || this == F16 || this == BF16; }

    /** The safetensors dtype string, or null when it is not one Palate reads. */
    public static DType fromSafetensors(String name) {
        for (DType d : values()) if (d.safetensorsName.equals(name)) return d;
        return null;
    }

    public static DType fromScalarType(ScalarType t) {
        for (DType d : values()) if (d.scalarType.value == t.value) return d;
        throw new IllegalArgumentException("unsupported libtorch scalar type " + t);
    }

    /** Parses the user-facing names {@code fp32}, {@code fp16}, {@code bf16} (and the enum names). */
    public static DType parse(String s) {
        switch (s.toLowerCase()) {
            case "fp32": case "float32": case "float": case "f32": return F32;
            case "fp16": case "float16": case "half": case "f16": return F16;
            case "bf16": case "bfloat16": return BF16;
            case "fp64": case "float64": case "double": case "f64": return F64;
            default:
                for (DType d : values()) if (d.name().equalsIgnoreCase(s)) return d;
                throw new IllegalArgumentException("unknown dtype '" + s + "': use fp32, fp16 or bf16");
        }
    }

    /** The user-facing name: fp32, fp16, bf16, ... */
    public String label() {
        switch (this) {
            case F64: return "fp64";
            case F32: return "fp32";
            case F16: return "fp16";
            case BF16: return "bf16";
            default: return name().toLowerCase();
        }
    }
}
