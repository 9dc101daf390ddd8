package dev.palate.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import org.bytedeco.pytorch.Tensor;

import dev.palate.cli.run.FolderInput;
import dev.palate.cli.run.InputRow;
import dev.palate.cli.run.ManifestReader;
import dev.palate.engine.NativeScope;
import dev.palate.engine.Tensors;
import dev.palate.engine.weights.SafetensorsWriter;
import dev.palate.models.scorers.Hpsv2Factory;
import dev.palate.preprocess.ClipTransforms;
import dev.palate.preprocess.DecodedImage;
import dev.palate.preprocess.ImageDecoder;
import dev.palate.preprocess.ImageTransform;
import dev.palate.preprocess.qwen2vl.AlphaConvention;
import dev.palate.preprocess.qwen2vl.Qwen2VlImageConfig;
import dev.palate.preprocess.qwen2vl.Qwen2VlImageProcessor;
import dev.palate.preprocess.qwen2vl.VisionPatches;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Writes the exact pixel tensors a model would get: the diagnostic behind the preprocessing parity checks. The CLIP
 * transforms write one float32 {@code [3, S, S]} tensor per image keyed by file name; the Qwen2-VL ones write
 * {@code pixel_values/<name>} {@code [P, 3·T·ps²]} float32 and {@code image_grid_thw/<name>} {@code [3]} int64.
 */
@Command(name = "preprocess", mixinStandardHelpOptions = true,
        description = {"Apply a model's image transform; one float32 [3,S,S] tensor per image, keyed by file name.",
                "qwen2vl and hpsv3 write pixel_values/<name> [P,D] and image_grid_thw/<name> [3] instead."})
final class PreprocessCommand implements Callable<Integer> {
    @Option(names = "--transform", required = true,
            description = "clip (open_clip/OpenAI, P1), clip-hf (Hugging Face CLIPImageProcessor, P2), hpsv2 (P3),"
                    + " qwen2vl (Qwen2-VL image processor, transformers 5.18) or hpsv3 (HPSv3's fetch_image, then Qwen2-VL).")
    String transform;

    @Option(names = "--size", defaultValue = "224", description = "Output side S (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--preprocessor-config",
            description = "clip-hf, qwen2vl: a preprocessor_config.json (or model folder) for mean/std/sizes;"
                    + " qwen2vl without it uses transformers' defaults.")
    Path preprocessorConfig;

    @Option(names = "--alpha", defaultValue = "drop",
            description = "qwen2vl, hpsv3: how RGBA becomes RGB: drop (plain convert, transformers 5.18 and HPSv3;"
                    + " default) or white (composited on white, transformers 4.46).")
    String alpha;

    @Option(names = "--set", paramLabel = "METRIC:KEY=VALUE",
            description = "hpsv2: the metric's resize option, --set hpsv2:resize=legacy|antialias (or hpsv2.1:...; default legacy).")
    List<String> settings = new ArrayList<>();

    @Option(names = "--input", required = true, description = "A folder of images or a JSONL/CSV manifest with \"image\" fields.")
    Path input;

    @Option(names = "--output", required = true, description = "The .safetensors file to write.")
    Path output;

    @Override
    public Integer call() throws Exception {
        if (!settings.isEmpty() && !transform.equals("hpsv2"))
            throw new IllegalArgumentException("--set applies to --transform hpsv2 only (e.g. --set hpsv2:resize=antialias)");
        Transform t = transform();
        List<InputRow> rows = Files.isDirectory(input) ? FolderInput.read(input, null) : ManifestReader.read(input);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        int written = 0;
        try (NativeScope scope = NativeScope.open()) {
            Set<String> names = new HashSet<>();
            for (InputRow r : rows) {
                if (r.error() != null) { failures.add(r.error()); continue; }
                String key = r.image().getFileName().toString();
                if (!names.add(key)) throw new IllegalArgumentException("two images are named " + key + "; keys must be unique");
                try {
                    t.put(key, ImageDecoder.decode(r.image()), tensors);
                    written++;
                } catch (RuntimeException e) {
                    failures.add(e.getMessage());
                }
            }
            SafetensorsWriter.write(output, tensors, t.metadata());
        }
        for (String f : failures) System.err.println("palate: skipped: " + f);
        System.err.printf("palate: wrote %d %s to %s%n", written, t.perImage(), output);
        return failures.isEmpty() ? 0 : 1;
    }

    /** One transform: the tensors of an image under its key, and the file's metadata. */
    private interface Transform {
        void put(String key, DecodedImage image, Map<String, Tensor> out);

        Map<String, String> metadata();

        /** What one image gives, for the summary line. */
        String perImage();
    }

    private Transform transform() {
        return switch (transform) {
            case "clip" -> clip(ClipTransforms.openClip(size));
            case "clip-hf" -> clip(ClipTransforms.huggingFace(preprocessorConfig, size));
            case "hpsv2" -> clip(Hpsv2Factory.transform(size, MetricSettings.forOneOf(settings, List.of("hpsv2", "hpsv2.1"))));
            case "qwen2vl" -> qwen2vl(Qwen2VlImageProcessor.of(preprocessorConfig == null
                    ? Qwen2VlImageConfig.defaults() : Qwen2VlImageConfig.read(preprocessorConfig)));
            case "hpsv3" -> {
                if (preprocessorConfig != null)
                    throw new IllegalArgumentException("--preprocessor-config is for clip-hf and qwen2vl; hpsv3 uses"
                            + " Qwen2-VL-7B-Instruct's processor (use --transform qwen2vl to try another config)");
                yield qwen2vl(Qwen2VlImageProcessor.hpsv3());
            }
            default -> throw new IllegalArgumentException("unknown --transform '" + transform
                    + "': use clip, clip-hf, hpsv2, qwen2vl or hpsv3");
        };
    }

    private Transform clip(ImageTransform t) {
        return new Transform() {
            @Override
            public void put(String key, DecodedImage image, Map<String, Tensor> out) {
                out.put(key, Tensors.fromFloats(t.apply(image), 3, t.size(), t.size()));
            }

            @Override
            public Map<String, String> metadata() { return Map.of("transform", transform, "size", Integer.toString(t.size())); }

            @Override
            public String perImage() { return "tensors"; }
        };
    }

    private Transform qwen2vl(Qwen2VlImageProcessor base) {
        Qwen2VlImageProcessor p = base.withAlphaConvention(switch (alpha) {
            case "drop" -> AlphaConvention.DROP;
            case "white" -> AlphaConvention.COMPOSITE_ON_WHITE;
            default -> throw new IllegalArgumentException("unknown --alpha '" + alpha + "': use drop or white");
        });
        Qwen2VlImageConfig c = p.config();
        return new Transform() {
            @Override
            public void put(String key, DecodedImage image, Map<String, Tensor> out) {
                VisionPatches v = p.process(image);
                out.put("pixel_values/" + key, Tensors.fromFloats(v.pixelValues(), v.patches(), v.patchDim()));
                out.put("image_grid_thw/" + key, Tensors.fromLongs(v.gridThw(), 3));
            }

            @Override
            public Map<String, String> metadata() {
                return Map.of("transform", transform, "alpha", alpha, "min_pixels", Long.toString(c.minPixels()),
                        "max_pixels", Long.toString(c.maxPixels()), "patch_size", Integer.toString(c.patchSize()),
                        "temporal_patch_size", Integer.toString(c.temporalPatchSize()),
                        "merge_size", Integer.toString(c.mergeSize()));
            }

            @Override
            public String perImage() { return "images (pixel_values + image_grid_thw)"; }
        };
    }
}
