package dev.palate.engine;

import java.util.Arrays;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/** Copies between Java arrays and CPU tensors. Results are owned by the current scope (or the caller). */
public final class Tensors {
    private Tensors() {}

    public static Tensor fromFloats(float[] data, long... shape) {
        checkCount(data.length, shape);
        try (FloatPointer p = new FloatPointer(data)) {
            return fromBlobCopy(p, DType.F32, shape);
        }
    }

    public static Tensor fromDoubles(double[] data, long... shape) {
        checkCount(data.length, shape);
        try (DoublePointer p = new DoublePointer(data)) {
            return fromBlobCopy(p, DType.F64, shape);
        }
    }

    public static Tensor fromLongs(long[] data, long... shape) {
        checkCount(data.length, shape);
        try (LongPointer p = new LongPointer(data)) {
            return fromBlobCopy(p, DType.I64, shape);
        }
    }

    public static Tensor fromInts(int[] data, long... shape) {
        checkCount(data.length, shape);
        try (IntPointer p = new IntPointer(data)) {
            return fromBlobCopy(p, DType.I32, shape);
        }
    }

    /** Unsigned bytes (uint8), e.g. decoded pixels. */
    public static Tensor fromBytes(byte[] data, long... shape) {
        checkCount(data.length, shape);
        try (BytePointer p = new BytePointer(data)) {
            return fromBlobCopy(p, DType.U8, shape);
        }
    }

    private static Tensor fromBlobCopy(Pointer p, DType dtype, long[] shape) {
        NativeRuntime.ensureLoaded();
        try (TensorOptions o = new TensorOptions(dtype.scalarType())) {
            Tensor view = torch.from_blob(p, shape, o);
            Tensor copy = view.clone();
            view.close();
            return copy;
        }
    }

    /** All elements as float32, row-major, whatever the tensor's device, dtype and strides. */
    public static float[] toFloats(Tensor t) {
        try (NativeScope s = NativeScope.open()) {
            Tensor c = t.to(DType.F32.scalarType()).cpu().contiguous();
            float[] out = new float[Math.toIntExact(c.numel())];
            new FloatPointer(c.data_ptr()).get(out);
            return out;
        }
    }

    public static double[] toDoubles(Tensor t) {
        try (NativeScope s = NativeScope.open()) {
            Tensor c = t.to(DType.F64.scalarType()).cpu().contiguous();
            double[] out = new double[Math.toIntExact(c.numel())];
            new DoublePointer(c.data_ptr()).get(out);
            return out;
        }
    }

    public static long[] toLongs(Tensor t) {
        try (NativeScope s = NativeScope.open()) {
            Tensor c = t.to(DType.I64.scalarType()).cpu().contiguous();
            long[] out = new long[Math.toIntExact(c.numel())];
            new LongPointer(c.data_ptr()).get(out);
            return out;
        }
    }

    /** The raw bytes of a tensor in its own dtype (row-major, little-endian as libtorch stores them on x86). */
    public static byte[] toBytes(Tensor t) {
        try (NativeScope s = NativeScope.open()) {
            Tensor c = t.cpu().contiguous();
            byte[] out = new byte[Math.toIntExact(c.numel() * c.element_size())];
            new BytePointer(c.data_ptr()).get(out);
            return out;
        }
    }

    public static long[] shape(Tensor t) {
        long[] s = new long[(int) t.dim()];
        for (int i = 0; i < s.length; i++) s[i] = t.size(i);
        return s;
    }

    public static DType dtype(Tensor t) {
        return DType.fromScalarType(t.scalar_type());
    }

    private static void checkCount(int n, long[] shape) {
        long p = 1;
        for (long d : shape) p *= d;
        if (p != n) throw new IllegalArgumentException(n + " values do not fill shape " + Arrays.toString(shape));
    }
}
