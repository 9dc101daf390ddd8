package dev.palate.models.clip;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import dev.palate.engine.weights.StateDict;

/**
 * A CLIP checkpoint on disk: which file holds the weights, which naming scheme it uses (detected from its keys),
 * and the config (the checkpoint's own, else a preset matched by the image tower's shape).
 */
final class ClipCheckpoint {
    /** Weight files looked for in a folder, in order of preference. */
    static final List<String> WEIGHT_FILES = List.of(
            "model.safetensors", "model.safetensors.index.json", "open_clip_model.safetensors",
            "pytorch_model.bin", "pytorch_model.bin.index.json", "open_clip_pytorch_model.bin", "open_clip_state.pt");
    static final String OPEN_CLIP_CONFIG = "open_clip_config.json";
    static final String HF_CONFIG = "config.json";

    final Path weightsFile;
    final ClipNaming naming;
    final ClipConfig config;

    private ClipCheckpoint(Path weightsFile, ClipNaming naming, ClipConfig config) {
        this.weightsFile = weightsFile;
        this.naming = naming;
        this.config = config;
    }

    /** The weight file for {@code fileOrFolder}: the file itself, or the preferred weight file in the folder. */
    static Path weightsFile(Path fileOrFolder) {
        if (Files.isRegularFile(fileOrFolder)) return fileOrFolder;
        if (!Files.isDirectory(fileOrFolder))
            throw new IllegalArgumentException("CLIP checkpoint " + fileOrFolder + " does not exist");
        for (String f : WEIGHT_FILES) if (Files.isRegularFile(fileOrFolder.resolve(f))) return fileOrFolder.resolve(f);
        List<Path> others = new ArrayList<>();
        try (Stream<Path> s = Files.list(fileOrFolder)) {
            s.filter(p -> p.getFileName().toString().matches(".*\\.(safetensors|pt|pth|bin)")).sorted().forEach(others::add);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot list " + fileOrFolder + ": " + e.getMessage(), e);
        }
        if (others.size() == 1) return others.get(0);
        throw new IllegalArgumentException("no CLIP weights in " + fileOrFolder + ": expected one of " + WEIGHT_FILES
                + (others.isEmpty() ? "" : " (found several candidates " + others + "; pass the file itself)"));
    }

    /** Detects naming and config for the opened state dict {@code sd} read from {@code weightsFile}. */
    static ClipCheckpoint inspect(Path weightsFile, StateDict sd) {
        ClipNaming naming;
        if (sd.contains("visual.conv1.weight")) naming = OpenClipNaming.INSTANCE;
        else if (sd.contains("vision_model.embeddings.patch_embedding.weight")) naming = HfClipNaming.INSTANCE;
        else
            throw new IllegalArgumentException(weightsFile + " is not a CLIP checkpoint: it has neither 'visual.conv1.weight'"
                    + " (open_clip naming) nor 'vision_model.embeddings.patch_embedding.weight' (Hugging Face CLIPModel); "
                    + "its first keys are " + sd.keys().stream().limit(5).toList());
        Path dir = weightsFile.toAbsolutePath().getParent();
        Path oc = dir.resolve(OPEN_CLIP_CONFIG), hf = dir.resolve(HF_CONFIG);
        ClipConfig cfg;
        // The checkpoint's own scheme's config first; the other scheme's config describes the same model too.
        if (naming == OpenClipNaming.INSTANCE && Files.isRegularFile(oc)) cfg = ClipConfig.parseOpenClip(oc);
        else if (Files.isRegularFile(hf) && isHfClipConfig(hf)) cfg = ClipConfig.parseHuggingFace(hf);
        else if (Files.isRegularFile(oc)) cfg = ClipConfig.parseOpenClip(oc);
        else {
            String conv = naming.map("visual.conv1.weight").fileKeys().get(0);
            int width = (int) sd.info(conv).shape()[0];
            cfg = ClipConfig.presetFor(width, countVisionLayers(sd, naming), weightsFile);
        }
        return new ClipCheckpoint(weightsFile, naming, cfg);
    }

    /** Every file key this checkpoint must have, for {@link StateDict#requireKeys}. */
    Set<String> expectedFileKeys() {
        Set<String> keys = new LinkedHashSet<>();
        for (String k : OpenClipNaming.canonicalKeys(config)) keys.addAll(naming.map(k).fileKeys());
        return keys;
    }

    private static boolean isHfClipConfig(Path file) {
        try {
            String s = Files.readString(file);
            return s.contains("\"vision_config\"") || s.contains("\"vision_config_dict\"");
        } catch (IOException e) {
            return false;
        }
    }

    private static int countVisionLayers(StateDict sd, ClipNaming naming) {
        int n = 0;
        while (sd.contains(naming.map("visual.transformer.resblocks." + n + ".ln_1.weight").fileKeys().get(0))) n++;
        return n;
    }
}
