package dev.palate.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.bytedeco.pytorch.Tensor;

import dev.palate.cli.run.FolderInput;
import dev.palate.cli.run.InputRow;
import dev.palate.cli.run.ManifestReader;
import dev.palate.engine.NativeScope;
import dev.palate.engine.Tensors;
import dev.palate.engine.weights.SafetensorsWriter;
import dev.palate.preprocess.ClipTransforms;
import dev.palate.preprocess.ImageDecoder;
import dev.palate.preprocess.ImageTransform;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Writes the exact pixel tensors a model would get: the diagnostic behind the preprocessing parity checks. */
@Command(name = "preprocess", mixinStandardHelpOptions = true,
        description = "Apply a model's image transform; one float32 [3,S,S] tensor per image, keyed by file name.")
final class PreprocessCommand implements Callable<Integer> {
    @Option(names = "--transform", required = true,
            description = "clip (open_clip/OpenAI, P1), clip-hf (Hugging Face CLIPImageProcessor, P2) or hpsv2 (P3).")
    String transform;

    @Option(names = "--size", defaultValue = "224", description = "Output side S (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--preprocessor-config", description = "clip-hf: a preprocessor_config.json for mean/std/sizes.")
    Path preprocessorConfig;

    @Option(names = "--input", required = true, description = "A folder of images or a JSONL/CSV manifest with \"image\" fields.")
    Path input;

    @Option(names = "--output", required = true, description = "The .safetensors file to write.")
    Path output;

    @Override
    public Integer call() throws Exception {
        ImageTransform t = switch (transform) {
            case "clip" -> ClipTransforms.openClip(size);
            case "clip-hf" -> ClipTransforms.huggingFace(preprocessorConfig, size);
            case "hpsv2" -> ClipTransforms.hpsv2(size);
            default -> throw new IllegalArgumentException("unknown --transform '" + transform + "': use clip, clip-hf or hpsv2");
        };
        List<InputRow> rows = Files.isDirectory(input) ? FolderInput.read(input, null) : ManifestReader.read(input);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        try (NativeScope scope = NativeScope.open()) {
            for (InputRow r : rows) {
                if (r.error() != null) { failures.add(r.error()); continue; }
                String key = r.image().getFileName().toString();
                if (tensors.containsKey(key)) throw new IllegalArgumentException("two images are named " + key + "; keys must be unique");
                try {
                    tensors.put(key, Tensors.fromFloats(t.apply(ImageDecoder.decode(r.image())), 3, t.size(), t.size()));
                } catch (RuntimeException e) {
                    failures.add(e.getMessage());
                }
            }
            SafetensorsWriter.write(output, tensors, Map.of("transform", transform, "size", Integer.toString(t.size())));
        }
        for (String f : failures) System.err.println("palate: skipped: " + f);
        System.err.printf("palate: wrote %d tensors to %s%n", tensors.size(), output);
        return failures.isEmpty() ? 0 : 1;
    }
}
