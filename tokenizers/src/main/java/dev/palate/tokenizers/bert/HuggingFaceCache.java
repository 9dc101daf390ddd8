package dev.palate.tokenizers.bert;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds a model's files in the Hugging Face hub cache ({@code $HF_HUB_CACHE}, else {@code $HF_HOME/hub},
 * else {@code ~/.cache/huggingface/hub}): {@code models--<org>--<name>/snapshots/<revision>/}, the revision
 * named by {@code refs/main} first, then any snapshot that has the file. Local disk only.
 */
final class HuggingFaceCache {

    private HuggingFaceCache() {}

    static Path defaultRoot() {
        String hub = System.getenv("HF_HUB_CACHE");
        if (hub != null && !hub.isBlank()) {
            return Path.of(hub);
        }
        String home = System.getenv("HF_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home, "hub");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "huggingface", "hub");
    }

    /** The first snapshot folder of any of {@code repoIds} (e.g. "google-bert/bert-base-uncased") holding {@code fileName}. */
    static Optional<Path> find(Path root, List<String> repoIds, String fileName) {
        for (String repo : repoIds) {
            Path repoDir = root.resolve("models--" + repo.replace("/", "--"));
            if (!Files.isDirectory(repoDir)) {
                continue;
            }
            List<Path> candidates = new ArrayList<>();
            Path ref = repoDir.resolve("refs").resolve("main");
            try {
                if (Files.isRegularFile(ref)) {
                    candidates.add(repoDir.resolve("snapshots").resolve(Files.readString(ref).trim()));
                }
                Path snapshots = repoDir.resolve("snapshots");
                if (Files.isDirectory(snapshots)) {
                    try (Stream<Path> s = Files.list(snapshots)) {
                        s.sorted().forEach(candidates::add);
                    }
                }
            } catch (IOException e) {
                continue; // an unreadable cache entry is as good as none
            }
            for (Path snapshot : candidates) {
                if (Files.isRegularFile(snapshot.resolve(fileName))) {
                    return Optional.of(snapshot.resolve(fileName));
                }
            }
        }
        return Optional.empty();
    }
}
