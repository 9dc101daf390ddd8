package dev.palate.models.hpsv3;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Tensor;

import dev.palate.engine.NativeScope;
import dev.palate.engine.Tensors;
import dev.palate.models.ImageInput;
import dev.palate.models.MetricInfo;
import dev.palate.models.PerItemScoring;
import dev.palate.models.ScoreMatrix;
import dev.palate.models.ScoreResult;
import dev.palate.models.Scorer;
import dev.palate.models.ScorerLifecycle;
import dev.palate.preprocess.qwen2vl.Qwen2VlImageProcessor;
import dev.palate.preprocess.qwen2vl.VisionPatches;

/**
 * HPSv3 as its {@code HPSv3RewardInferencer.reward} reports it: μ of the reward head at {@code <|Reward|>} is the
 * score, log σ rides along as the {@code log_sigma} field. Pairs are grouped into batches of similar token length
 * (sorted by length, right-padded), so little compute goes to padding; results come back in input order. An image
 * that cannot be decoded, or a prompt HPSv3 cannot score (one holding {@code <|Reward|>}), fails its own item only.
 */
final class Hpsv3Scorer implements Scorer {
    static final String LOG_SIGMA = "log_sigma";

    private final MetricInfo metric;
    private final Hpsv3RewardModel model;
    private final Hpsv3Prompt prompt;
    private final Qwen2VlImageProcessor processor;
    private final Hpsv3RewardModel.Positions positions;
    private final int rewardId, padId, batchSize, merge;
    private final ScorerLifecycle lifecycle;

    Hpsv3Scorer(MetricInfo metric, Hpsv3RewardModel model, Hpsv3Prompt prompt, Qwen2VlImageProcessor processor,
                Hpsv3RewardModel.Positions positions, int rewardId, int padId, int batchSize) {
        this.metric = metric;
        this.model = model;
        this.prompt = prompt;
        this.processor = processor;
        this.positions = positions;
        this.rewardId = rewardId;
        this.padId = padId;
        this.batchSize = batchSize;
        this.merge = model.config().vision().spatialMergeSize();
        this.lifecycle = new ScorerLifecycle(metric.name());
    }

    @Override
    public MetricInfo metric() { return metric; }

    @Override
    public ScoreResult score(String p, List<ImageInput> images) {
        return score(Collections.nCopies(images.size(), p), images);
    }

    @Override
    public ScoreResult score(List<String> prompts, List<ImageInput> images) {
        if (prompts.size() != images.size())
            throw new IllegalArgumentException("hpsv3 scores index-aligned pairs: " + prompts.size() + " prompts for " + images.size() + " images");
        return lifecycle.whileOpen(() -> PerItemScoring.score(metric, images, this::patches,
                items -> scorePairs(pick(prompts, items), pick(images, items))));
    }

    @Override
    public ScoreMatrix matrix(List<String> prompts, List<ImageInput> images) {
        List<String> ps = new ArrayList<>();
        List<ImageInput> is = new ArrayList<>();
        for (String p : prompts) for (ImageInput i : images) { ps.add(p); is.add(i); }
        float[] flat = score(ps, is).values();
        float[][] m = new float[prompts.size()][images.size()];
        for (int r = 0; r < prompts.size(); r++) System.arraycopy(flat, r * images.size(), m[r], 0, images.size());
        return new ScoreMatrix(metric, m);
    }

    @Override
    public void prepare(List<ImageInput> images) {
        images.parallelStream().forEach(i -> {
            try {
                patches(i);
            } catch (RuntimeException e) {
                // reported by score() for this image only
            }
        });
    }

    private static <T> List<T> pick(List<T> all, int[] items) {
        List<T> out = new ArrayList<>(items.length);
        for (int i : items) out.add(all.get(i));
        return out;
    }

    private VisionPatches patches(ImageInput image) {
        return image.derived(processor, processor::process);
    }

    private ScoreResult scorePairs(List<String> prompts, List<ImageInput> images) {
        int n = images.size();
        List<VisionPatches> patches = images.parallelStream().map(this::patches).toList();
        int[][] ids = new int[n][];
        for (int i = 0; i < n; i++) ids[i] = prompt.ids(prompts.get(i), patches.get(i).mergedTokens(merge));
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) order.add(i);
        order.sort(Comparator.comparingInt(i -> ids[i].length));
        float[] mu = new float[n];
        List<Object> logSigma = new ArrayList<>(Collections.nCopies(n, null));
        for (int start = 0; start < n; start += batchSize) {
            List<Integer> chunk = order.subList(start, Math.min(n, start + batchSize));
            float[] logits = forward(chunk, ids, patches);
            for (int k = 0; k < chunk.size(); k++) {
                mu[chunk.get(k)] = logits[2 * k];
                logSigma.set(chunk.get(k), logits[2 * k + 1]);
            }
        }
        return new ScoreResult(metric, mu, Map.of(LOG_SIGMA, logSigma));
    }

    /** One right-padded batch → logits [B, 2] row-major. */
    private float[] forward(List<Integer> rows, int[][] ids, List<VisionPatches> patches) {
        int b = rows.size(), l = 0;
        for (int r : rows) l = Math.max(l, ids[r].length);
        long[][] batch = new long[b][l];
        int[] lengths = new int[b];
        List<int[]> grids = new ArrayList<>();
        List<VisionPatches> images = new ArrayList<>();
        for (int k = 0; k < b; k++) {
            int[] row = ids[rows.get(k)];
            java.util.Arrays.fill(batch[k], padId);
            for (int i = 0; i < row.length; i++) batch[k][i] = row[i];
            lengths[k] = row.length;
            VisionPatches v = patches.get(rows.get(k));
            images.add(v);
            grids.add(new int[] {v.gridT(), v.gridH(), v.gridW()});
        }
        int patchDim = images.get(0).patchDim();
        long total = images.stream().mapToLong(VisionPatches::patches).sum();
        try (NativeScope s = NativeScope.open()) {
            Tensor pixels = Tensors.fromFloats(VisionPatches.concatenate(images), total, patchDim);
            return Tensors.toFloats(model.forward(batch, lengths, pixels, grids, rewardId, positions, false).logits());
        }
    }

    @Override
    public void close() {
        lifecycle.close(model::close);
    }

    @Override
    public String toString() { return metric.name() + " scorer over " + model; }
}
