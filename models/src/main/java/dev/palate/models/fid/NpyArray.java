package dev.palate.models.fid;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A floating-point array in NumPy's {@code .npy} format (numpy/lib/format.py, versions 1.0–3.0): magic
 * {@code \x93NUMPY}, version, little-endian header length (2 bytes in 1.0, 4 in 2.0/3.0), an ASCII Python dict
 * {@code {'descr': '<f8', 'fortran_order': False, 'shape': (d,), }} padded with spaces to a multiple of 64 and ended by
 * a newline, then the raw data. Reads f4/f8 of either byte order and Fortran order; writes version 1.0, {@code <f8}, C order.
 *
 * @param data  values, C (row-major) order
 * @param shape the array's shape
 */
public record NpyArray(double[] data, long[] shape) {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([a-z])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /** Parses one {@code .npy} payload; {@code name} is used in error messages (e.g. {@code stats.npz:mu.npy}). */
    public static NpyArray parse(byte[] bytes, String name) {
        if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, 6), MAGIC))
            throw new IllegalArgumentException(name + " is not a NumPy .npy array (bad magic)");
        int major = bytes[6];
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen, start;
        if (major == 1) { headerLen = b.getShort(8) & 0xFFFF; start = 10; }
        else if (major == 2 || major == 3) { headerLen = b.getInt(8); start = 12; }
        else throw new IllegalArgumentException(name + ": unsupported .npy version " + major);
        String header = new String(bytes, start, headerLen, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header), f = FORTRAN.matcher(header), s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) throw new IllegalArgumentException(name + ": unreadable .npy header " + header.trim());
        char order = d.group(1).charAt(0), kind = d.group(2).charAt(0);
        int size = Integer.parseInt(d.group(3));
        if (kind != 'f' || (size != 4 && size != 8))
            throw new IllegalArgumentException(name + ": dtype " + d.group() + " is not float32/float64; FID statistics must be floating point");
        long[] shape = Arrays.stream(s.group(1).split(",")).map(String::trim).filter(t -> !t.isEmpty()).mapToLong(Long::parseLong).toArray();
        long count = 1;
        for (long x : shape) count *= x;
        int dataStart = start + headerLen;
        if (bytes.length - dataStart < count * size)
            throw new IllegalArgumentException(name + ": truncated, " + (bytes.length - dataStart) + " data bytes for " + count + " values");
        ByteBuffer data = ByteBuffer.wrap(bytes, dataStart, bytes.length - dataStart)
                .order(order == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN).slice()
                .order(order == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        double[] v = new double[Math.toIntExact(count)];
        for (int i = 0; i < v.length; i++) v[i] = size == 8 ? data.getDouble(8 * i) : data.getFloat(4 * i);
        if (f.group(1).equals("True") && shape.length > 1) v = fortranToC(v, shape);
        return new NpyArray(v, shape);
    }

    /** Serialises as {@code .npy} version 1.0, {@code <f8}, C order. */
    public byte[] toBytes() {
        StringBuilder shp = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) shp.append(i > 0 ? ", " : "").append(shape[i]);
        if (shape.length == 1) shp.append(',');
        shp.append(')');
        StringBuilder header = new StringBuilder("{'descr': '<f8', 'fortran_order': False, 'shape': " + shp + ", }");
        int total = 10 + header.length() + 1;
        int pad = (64 - total % 64) % 64;
        header.append(" ".repeat(pad)).append('\n');
        ByteArrayOutputStream out = new ByteArrayOutputStream(10 + header.length() + 8 * data.length);
        out.writeBytes(MAGIC);
        out.write(1);
        out.write(0);
        out.write(header.length() & 0xFF);
        out.write(header.length() >>> 8);
        out.writeBytes(header.toString().getBytes(StandardCharsets.ISO_8859_1));
        ByteBuffer body = ByteBuffer.allocate(8 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double x : data) body.putDouble(x);
        out.writeBytes(body.array());
        return out.toByteArray();
    }

    private static double[] fortranToC(double[] v, long[] shape) {
        int n = shape.length;
        int[] dims = Arrays.stream(shape).mapToInt(Math::toIntExact).toArray();
        double[] out = new double[v.length];
        int[] idx = new int[n];
        for (int c = 0; c < v.length; c++) {
            int fi = 0, stride = 1;
            for (int k = 0; k < n; k++) { fi += idx[k] * stride; stride *= dims[k]; }
            out[c] = v[fi];
            for (int k = n - 1; k >= 0; k--) { if (++idx[k] < dims[k]) break; idx[k] = 0; }
        }
        return out;
    }
}
