package dev.palate.models.aesthetic;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.palate.engine.NativeRuntime;
import dev.palate.engine.NativeScope;
import dev.palate.engine.Tensors;
import dev.palate.engine.weights.StateDict;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * A head of Linear layers with no activations between them, evaluated layer by layer in fp32 on the CPU:
 * <ul>
 *   <li>LAION aesthetic v1 ({@code sa_0_4_vit_l_14_linear.pth}): keys {@code weight} [1,768], {@code bias} [1];</li>
 *   <li>improved aesthetic v2 ({@code sac+logos+ava1-l14-linearMSE.pth}) and HP's scorer
 *       ({@code mlp_pytorch_model.bin}): {@code layers.{0,2,4,6,7}.{weight,bias}}, the gaps being Dropout layers
 *       (identity at inference) and the ReLUs commented out upstream (improved-aesthetic-predictor simple_inference.py).</li>
 * </ul>
 */
public final class LinearStack implements AutoCloseable {
    private static final Pattern LAYER = Pattern.compile("layers\\.(\\d+)\\.weight");

    private final Path source;
    private final List<Tensor> weights = new ArrayList<>(); // [out, in], fp32 CPU
    private final List<Tensor> biases = new ArrayList<>();  // [out]
    private boolean closed;

    private LinearStack(Path source) {
        this.source = source;
    }

    /** Loads a head file (torch pickle or safetensors) with either key layout above. */
    public static LinearStack load(Path file) {
        NativeRuntime.ensureLoaded();
        LinearStack head = new LinearStack(file);
        try (StateDict sd = StateDict.load(file); PointerScope scope = new PointerScope()) {
            List<String> names = new ArrayList<>();
            if (sd.contains("weight")) {
                names.add("");
            } else {
                TreeMap<Integer, String> byIndex = new TreeMap<>();
                for (String k : sd.keys()) {
                    Matcher m = LAYER.matcher(k);
                    if (m.matches()) byIndex.put(Integer.parseInt(m.group(1)), "layers." + m.group(1) + ".");
                }
                names.addAll(byIndex.values());
            }
            if (names.isEmpty())
                throw new IllegalArgumentException(file + " is not a linear head: expected keys 'weight'/'bias' or "
                        + "'layers.N.weight'/'layers.N.bias', found " + sd.keys().stream().limit(8).toList());
            java.util.Set<String> expected = new java.util.LinkedHashSet<>();
            for (String n : names) {
                expected.add(n + "weight");
                expected.add(n + "bias");
            }
            sd.requireKeys(expected, java.util.Set.of());
            long in = -1;
            for (String n : names) {
                long[] ws = sd.info(n + "weight").shape(), bs = sd.info(n + "bias").shape();
                if (ws.length != 2 || bs.length != 1 || bs[0] != ws[0] || (in >= 0 && ws[1] != in))
                    throw new IllegalArgumentException(file + ": layer '" + n + "' has weight " + java.util.Arrays.toString(ws)
                            + " and bias " + java.util.Arrays.toString(bs) + ", which do not chain with the layer before");
                in = ws[0];
                head.weights.add(keep(sd.get(n + "weight")));
                head.biases.add(keep(sd.get(n + "bias")));
            }
        } catch (RuntimeException e) {
            head.close();
            throw e;
        }
        return head;
    }

    private static Tensor keep(Tensor t) {
        Tensor c = t.to(torch.ScalarType.Float).clone().contiguous();
        c.retainReference();
        return c;
    }

    /** Input width (768 for the CLIP-L aesthetic heads, 1024 for HP). */
    public int inputWidth() { return (int) weights.get(0).size(1); }

    /** x [N, in] fp32 (any device; computed on the CPU) → [N, out] fp32; result in the caller's scope. */
    public Tensor forward(Tensor x) {
        Tensor h = x.to(torch.ScalarType.Float).cpu();
        for (int i = 0; i < weights.size(); i++) h = torch.linear(h, weights.get(i), biases.get(i));
        return h;
    }

    /** One score per input row (the head's single output). */
    public float[] scores(float[][] rows) {
        int in = inputWidth();
        float[] flat = new float[rows.length * in];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != in)
                throw new IllegalArgumentException(source + " takes " + in + "-d inputs, got " + rows[i].length);
            System.arraycopy(rows[i], 0, flat, i * in, in);
        }
        try (NativeScope s = NativeScope.open()) {
            return Tensors.toFloats(forward(Tensors.fromFloats(flat, rows.length, in)));
        }
    }

    public Path source() { return source; }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        for (Tensor t : weights) t.releaseReference();
        for (Tensor t : biases) t.releaseReference();
    }
}
