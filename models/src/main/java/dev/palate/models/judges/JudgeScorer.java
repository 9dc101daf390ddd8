package dev.palate.models.judges;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import dev.palate.engine.generate.GenerationConfig;
import dev.palate.models.ImageInput;
import dev.palate.models.MetricInfo;
import dev.palate.models.PerItemScoring;
import dev.palate.models.ScoreMatrix;
import dev.palate.models.ScoreResult;
import dev.palate.models.Scorer;
import dev.palate.models.ScorerLifecycle;
import dev.palate.preprocess.DecodedImage;
import dev.palate.preprocess.qwen2vl.Qwen2VlImageProcessor;
import dev.palate.preprocess.qwen2vl.VisionPatches;
import dev.palate.tokenizers.bpe.ByteLevelBpeTokenizer;

/**
 * A generative judge as a {@link Scorer}: each item becomes one or more chat prompts ({@link Judge#requests}), all
 * prompts of a call are decoded together in left-padded batches of {@code batchSize} (sorted by length), and each
 * item's texts are parsed into its verdict ({@link Judge#verdict}): the scalar score, the parsed fields, the raw text.
 * An item whose verdict did not parse is scored (its {@link ScoreResult#SCORE} is null and it carries
 * {@code parse_error}); an item whose inputs are missing or undecodable fails alone.
 */
final class JudgeScorer implements Scorer {

    /** One generation an item needs: the rendered chat text and the images its slots take, in order. */
    record Request(String chatText, List<ImageInput> images) {}

    /** What makes one judge: its prompts and its parser. */
    interface Judge {
        MetricInfo metric();

        /** The generations for one item (prompt + image + the row's attached inputs). */
        List<Request> requests(String prompt, ImageInput image);

        /** How each image is prepared before the processor (e.g. QIB's LANCZOS squash); identity by default. */
        default DecodedImage prepare(DecodedImage rgb) { return rgb; }

        /** Item {@code i}'s verdict from its texts, in request order: value, {@link ScoreResult#SCORE}, fields. */
        void verdict(ScoreResult.Builder out, int i, List<Request> requests, List<String> texts);
    }

    private final Judge judge;
    private final VisionLanguageGenerator model;
    private final ByteLevelBpeTokenizer tokenizer;
    private final Qwen2VlImageProcessor processor;
    private final GenerationConfig generation;
    private final int batchSize;
    private final ScorerLifecycle lifecycle;
    private final Function<DecodedImage, VisionPatches> patches;

    JudgeScorer(Judge judge, VisionLanguageGenerator model, ByteLevelBpeTokenizer tokenizer, Qwen2VlImageProcessor processor,
                GenerationConfig generation, int batchSize) {
        this.judge = judge;
        this.model = model;
        this.tokenizer = tokenizer;
        this.processor = processor;
        this.generation = generation;
        this.batchSize = batchSize;
        this.lifecycle = new ScorerLifecycle(judge.metric().name());
        this.patches = d -> processor.process(judge.prepare(d.toRgb()));
    }

    /** The end and pad ids of a judge's settings, looked up in its tokenizer. */
    static GenerationConfig generation(GenerationSettings s, ByteLevelBpeTokenizer tokenizer) {
        return new GenerationConfig(s.maxNewTokens(), Set.of(tokenizer.tokenId(s.eosToken())), tokenizer.tokenId(s.padToken()),
                (float) s.repetitionPenalty());
    }

    @Override
    public MetricInfo metric() { return judge.metric(); }

    @Override
    public ScoreResult score(String prompt, List<ImageInput> images) {
        return score(Collections.nCopies(images.size(), prompt), images);
    }

    @Override
    public ScoreResult score(List<String> prompts, List<ImageInput> images) {
        if (prompts.size() != images.size())
            throw new IllegalArgumentException(judge.metric().name() + " scores index-aligned items: " + prompts.size() + " prompts for " + images.size() + " images");
        return lifecycle.whileOpen(() -> PerItemScoring.score(judge.metric(), images, this::prepareItem, items -> {
            List<String> ps = new ArrayList<>();
            List<ImageInput> is = new ArrayList<>();
            for (int i : items) { ps.add(prompts.get(i)); is.add(images.get(i)); }
            return judgeItems(ps, is);
        }));
    }

    @Override
    public ScoreMatrix matrix(List<String> prompts, List<ImageInput> images) {
        List<String> ps = new ArrayList<>();
        List<ImageInput> is = new ArrayList<>();
        for (String p : prompts) for (ImageInput i : images) { ps.add(p); is.add(i); }
        float[] flat = score(ps, is).values();
        float[][] m = new float[prompts.size()][images.size()];
        for (int r = 0; r < prompts.size(); r++) System.arraycopy(flat, r * images.size(), m[r], 0, images.size());
        return new ScoreMatrix(judge.metric(), m);
    }

    @Override
    public void prepare(List<ImageInput> images) {
        images.parallelStream().forEach(i -> {
            try {
                prepareItem(i);
            } catch (RuntimeException e) {
                // reported by score() for this item only
            }
        });
    }

    /** Decodes and patchifies the item's main image (its companions are prepared when it is judged). */
    private void prepareItem(ImageInput image) {
        image.derived(patches, patches);
    }

    private ScoreResult judgeItems(List<String> prompts, List<ImageInput> images) {
        List<List<Request>> perItem = new ArrayList<>();
        List<Request> all = new ArrayList<>();
        List<VisionLanguageGenerator.Prompt> encoded = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            List<Request> rs = judge.requests(prompts.get(i), images.get(i));
            perItem.add(rs);
            for (Request r : rs) {
                all.add(r);
                encoded.add(encode(r));
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < encoded.size(); i++) order.add(i);
        order.sort(Comparator.comparingInt(i -> encoded.get(i).ids().length));
        String[] texts = new String[encoded.size()];
        for (int start = 0; start < order.size(); start += batchSize) {
            List<Integer> chunk = order.subList(start, Math.min(order.size(), start + batchSize));
            List<VisionLanguageGenerator.Prompt> batch = new ArrayList<>();
            for (int k : chunk) batch.add(encoded.get(k));
            List<int[]> out = model.generate(batch, generation);
            for (int j = 0; j < chunk.size(); j++) texts[chunk.get(j)] = tokenizer.decode(out.get(j), true);
        }
        ScoreResult.Builder result = ScoreResult.builder(judge.metric(), images.size());
        int k = 0;
        for (int i = 0; i < images.size(); i++) {
            List<String> itemTexts = new ArrayList<>();
            for (int j = 0; j < perItem.get(i).size(); j++) itemTexts.add(texts[k++]);
            judge.verdict(result, i, perItem.get(i), itemTexts);
        }
        return result.build();
    }

    /** The chat text tokenized, each {@code <|image_pad|>} expanded to its image's token count, as the processor does. */
    private VisionLanguageGenerator.Prompt encode(Request r) {
        int[] base = tokenizer.encode(r.chatText());
        List<VisionPatches> vs = new ArrayList<>();
        for (ImageInput image : r.images()) vs.add(image.derived(patches, patches));
        int pad = model.imageTokenId(), merge = model.spatialMergeSize();
        int slots = 0, extra = 0;
        for (int id : base) if (id == pad) slots++;
        if (slots != vs.size())
            throw new IllegalStateException(judge.metric().name() + ": the chat text has " + slots + " image slots for " + vs.size() + " images");
        for (VisionPatches v : vs) extra += v.mergedTokens(merge) - 1;
        int[] ids = new int[base.length + extra];
        int o = 0, image = 0;
        for (int id : base) {
            if (id != pad) { ids[o++] = id; continue; }
            int n = vs.get(image++).mergedTokens(merge);
            for (int j = 0; j < n; j++) ids[o++] = pad;
        }
        return new VisionLanguageGenerator.Prompt(ids, vs);
    }

    @Override
    public void close() {
        lifecycle.close(model::close);
    }

    @Override
    public String toString() { return judge.metric().name() + " judge over " + model; }
}
