package dev.palate.models.blip;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import org.bytedeco.pytorch.Tensor;

import dev.palate.engine.NativeScope;
import dev.palate.engine.Tensors;
import dev.palate.models.ImageBatches;
import dev.palate.models.ImageInput;
import dev.palate.models.MetricInfo;
import dev.palate.models.PerItemScoring;
import dev.palate.models.ScoreMatrix;
import dev.palate.models.ScoreResult;
import dev.palate.models.Scorer;
import dev.palate.models.ScorerLifecycle;
import dev.palate.models.ScorerOptions;
import dev.palate.models.SharedModels;
import dev.palate.preprocess.ClipTransforms;
import dev.palate.preprocess.ImageTransform;
import dev.palate.tokenizers.bert.Encoding;
import dev.palate.tokenizers.bert.WordPieceTokenizer;

/**
 * The {@code imagereward} metric: decode → P1 at the model's size (ImageReward.py {@code _transform}) → BERT
 * tokenizer, {@code max_length=35} with padding and truncation → {@link ImageRewardModel}. Images go through the
 * model {@link ScorerOptions#batchSize()} at a time (upstream scores one image per forward). The text encoder
 * cross-attends to each image, so nothing text-side can be cached beyond the token ids.
 */
public final class ImageRewardScorer implements Scorer {
    /** ImageReward.py: {@code max_length=35}. */
    public static final int MAX_TOKENS = 35;

    public static final MetricInfo METRIC = new MetricInfo("imagereward",
            "ImageReward v1.0: BLIP ViT-L/16 image tokens cross-attended by the MED BERT text encoder, [CLS] → MLP,"
                    + " (r − 0.16717362830052426) / 1.0333394966054072",
            MetricInfo.Direction.HIGHER_IS_BETTER,
            "standardised reward, roughly N(0, 1) over ImageReward's training data; typically −2 to 2",
            Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, true);

    /** {@code inference_rank}'s answer: {@code ranks[i]} is image i's place (1 = best), {@code rewards[i]} its reward. */
    public record Ranking(int[] ranks, float[] rewards) {}

    private final SharedModels.Lease<ImageRewardModel> lease;
    private final ImageRewardModel model;
    private final WordPieceTokenizer tokenizer;
    private final ImageTransform transform;
    private final int batchSize;
    private final ScorerLifecycle lifecycle = new ScorerLifecycle(METRIC.name());

    ImageRewardScorer(SharedModels.Lease<ImageRewardModel> lease, WordPieceTokenizer tokenizer, int batchSize) {
        this.lease = lease;
        this.model = lease.get();
        this.tokenizer = tokenizer;
        this.transform = ClipTransforms.openClip(model.imageSize());
        this.batchSize = batchSize;
    }

    /**
     * A scorer over the checkpoint at {@code fileOrFolder} (no id lookup; see {@link ImageRewardScorerFactory}).
     * The tokenizer is the folder's {@code vocab.txt}/{@code tokenizer.json} when it has one, else bert-base-uncased
     * (from the Hugging Face cache or bundled), with {@code [DEC]}/{@code [ENC]} added.
     */
    public static ImageRewardScorer open(Path fileOrFolder, ScorerOptions o) {
        Path weights = ImageRewardModel.weightFile(fileOrFolder).toAbsolutePath().normalize();
        Path folder = weights.getParent();
        boolean ownVocab = Files.isRegularFile(folder.resolve("vocab.txt")) || Files.isRegularFile(folder.resolve("tokenizer.json"));
        WordPieceTokenizer tokenizer = WordPieceTokenizer.forImageReward(ownVocab ? folder : null);
        String key = "imagereward:" + weights + ":" + o.device() + ":" + o.dtype().label();
        SharedModels.Lease<ImageRewardModel> lease = o.shared().acquire(key, () -> ImageRewardModel.load(weights, o.device(), o.dtype()));
        return new ImageRewardScorer(lease, tokenizer, o.batchSize());
    }

    @Override
    public MetricInfo metric() { return METRIC; }

    @Override
    public ScoreResult score(String prompt, List<ImageInput> images) {
        if (prompt == null) throw nullPrompt("the prompt");
        return score(java.util.Collections.nCopies(images.size(), prompt), images);
    }

    @Override
    public ScoreResult score(List<String> prompts, List<ImageInput> images) {
        if (prompts.size() != images.size())
            throw new IllegalArgumentException("imagereward pairs prompts with images: got " + prompts.size() + " prompts and "
                    + images.size() + " images");
        for (int i = 0; i < prompts.size(); i++) if (prompts.get(i) == null) throw nullPrompt("prompt " + i);
        return PerItemScoring.score(METRIC, images, image -> image.pixels(transform), items -> {
            List<String> p = new java.util.ArrayList<>();
            List<ImageInput> im = new java.util.ArrayList<>();
            for (int i : items) {
                p.add(prompts.get(i));
                im.add(images.get(i));
            }
            return new ScoreResult(METRIC, rewards(p, im));
        });
    }

    private static IllegalArgumentException nullPrompt(String which) {
        return new IllegalArgumentException("imagereward: " + which + " is null; imagereward compares each image with the text"
                + " it was generated from");
    }

    /**
     * Every prompt against every image; each image batch goes through the image tower and the cross-attention
     * key/value projections once, whatever the number of prompts. An image that fails is a NaN column with its error.
     */
    @Override
    public ScoreMatrix matrix(List<String> prompts, List<ImageInput> images) {
        for (int i = 0; i < prompts.size(); i++) if (prompts.get(i) == null) throw nullPrompt("prompt " + i);
        return lifecycle.whileOpen(() -> {
            String[] errors = new String[images.size()];
            List<Integer> ok = new java.util.ArrayList<>();
            for (int n = 0; n < images.size(); n++) {
                errors[n] = PerItemScoring.prepareError(images.get(n), image -> image.pixels(transform));
                if (errors[n] == null) ok.add(n);
            }
            List<ImageInput> good = ok.stream().map(images::get).toList();
            float[][] out = new float[prompts.size()][images.size()];
            List<Encoding> enc = tokenizer.encode(prompts, MAX_TOKENS);
            for (int start = 0; start < good.size(); start += batchSize) {
                int n = Math.min(batchSize, good.size() - start);
                try (NativeScope s = NativeScope.open()) {
                    ImageRewardModel.EncodedImages encoded = model.encode(pixels(good.subList(start, start + n)));
                    for (int m = 0; m < prompts.size(); m++) {
                        Encoding[] rows = new Encoding[n];
                        Arrays.fill(rows, enc.get(m));
                        float[] r = Tensors.toFloats(model.rewards(encoded, ids(rows), mask(rows)));
                        for (int k = 0; k < n; k++) out[m][ok.get(start + k)] = r[k];
                    }
                }
            }
            return new ScoreMatrix(METRIC, out, Arrays.asList(errors));
        });
    }

    /** ImageReward.py {@code inference_rank}: one prompt, N images → ranks (1 = best reward) and rewards. */
    public Ranking rank(String prompt, List<ImageInput> images) {
        ScoreResult scored = score(prompt, images);
        for (int i = 0; i < scored.size(); i++) if (!scored.isOk(i)) throw new IllegalArgumentException("cannot rank: " + scored.error(i));
        float[] rewards = scored.values();
        Integer[] order = new Integer[rewards.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -rewards[i]));
        int[] ranks = new int[rewards.length];
        for (int place = 0; place < order.length; place++) ranks[order[place]] = place + 1;
        return new Ranking(ranks, rewards);
    }

    /** The model behind this scorer (shared; do not close it). */
    public ImageRewardModel model() { return model; }

    private float[] rewards(List<String> prompts, List<ImageInput> images) {
        return lifecycle.whileOpen(() -> {
            float[] out = new float[images.size()];
            List<Encoding> enc = tokenizer.encode(prompts, MAX_TOKENS);
            for (int start = 0; start < images.size(); start += batchSize) {
                int n = Math.min(batchSize, images.size() - start);
                Encoding[] rows = enc.subList(start, start + n).toArray(Encoding[]::new);
                try (NativeScope s = NativeScope.open()) {
                    Tensor r = model.forward(pixels(images.subList(start, start + n)), ids(rows), mask(rows)).reward();
                    System.arraycopy(Tensors.toFloats(r), 0, out, start, n);
                }
            }
            return out;
        });
    }

    private Tensor pixels(List<ImageInput> images) {
        return ImageBatches.stack(images, transform); // [n, 3, S, S] fp32 CPU
    }

    @Override
    public void prepare(List<ImageInput> images) {
        ImageBatches.prepare(images, transform);
    }

    private static Tensor ids(Encoding[] rows) {
        long[] v = new long[rows.length * MAX_TOKENS];
        for (int i = 0; i < rows.length; i++)
            for (int j = 0; j < MAX_TOKENS; j++) v[i * MAX_TOKENS + j] = rows[i].ids()[j];
        return Tensors.fromLongs(v, rows.length, MAX_TOKENS);
    }

    private static Tensor mask(Encoding[] rows) {
        long[] v = new long[rows.length * MAX_TOKENS];
        for (int i = 0; i < rows.length; i++)
            for (int j = 0; j < MAX_TOKENS; j++) v[i * MAX_TOKENS + j] = rows[i].attentionMask()[j];
        return Tensors.fromLongs(v, rows.length, MAX_TOKENS);
    }

    /** Waits for calls in progress, then releases this scorer's hold on the (shared) model. */
    @Override
    public void close() {
        lifecycle.close(lease::close);
    }
}
