package dev.palate.models;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds model weights on this machine, offline:
 * <ol>
 *   <li>an existing file or folder, as given;</li>
 *   <li>a Hugging Face repo id {@code org/name} in the local hub cache: {@code $HF_HUB_CACHE},
 *       {@code $HUGGINGFACE_HUB_CACHE}, {@code $HF_HOME/hub}, {@code $XDG_CACHE_HOME/huggingface/hub},
 *       {@code ~/.cache/huggingface/hub}; inside, {@code models--org--name/snapshots/REV} with REV read from
 *       {@code refs/main} (without refs/main, the only, or newest, snapshot; a refs/main naming a snapshot that is
 *       not there is an error: another snapshot holds other weights);</li>
 *   <li>a ModelScope id in {@code $MODELSCOPE_CACHE} or {@code ~/.cache/modelscope}: {@code hub/org/name},
 *       {@code hub/models/org/name}, {@code models/org/name} or {@code org/name} (dots in names also tried as
 *       {@code ___}, as ModelScope stores them).</li>
 * </ol>
 * An id may carry a path inside the repo: {@code xswu/HPSv2/HPS_v2.1_compressed.pt}, {@code 8y/HP/hp_backbone}.
 * Nothing is downloaded.
 */
public final class ModelLocator {
    private static final Pattern REPO_ID = Pattern.compile("[A-Za-z0-9_.\\-]+/[A-Za-z0-9_.\\-]+(/.+)?");

    private final Map<String, String> env;
    private final Path home;

    /** A locator over the given environment and home folder (tests use a fake one). */
    public ModelLocator(Map<String, String> env, Path home) {
        this.env = Map.copyOf(env);
        this.home = home;
    }

    /** This process's environment and {@code user.home}. */
    public static ModelLocator system() {
        return new ModelLocator(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /**
     * Where {@code spec} lives. When it resolves to a folder, that folder must hold at least one of
     * {@code expectedAnyOf} (relative paths; empty = no check).
     *
     * @throws ModelNotFoundException listing every place looked at and the files expected
     */
    public Path locate(String spec, List<String> expectedAnyOf) {
        List<String> looked = new ArrayList<>();
        Path direct = Path.of(spec.startsWith("~/") ? home + spec.substring(1) : spec);
        if (Files.exists(direct)) {
            if (Files.isRegularFile(direct) || holdsAny(direct, expectedAnyOf)) return direct;
            throw new ModelNotFoundException("folder " + direct + " holds none of the expected files "
                    + expectedAnyOf + ": pass the folder of the checkpoint or the weight file itself");
        }
        looked.add(direct + " (no such file or folder)");
        if (REPO_ID.matcher(spec).matches()) {
            String[] parts = spec.split("/", 3);
            String org = parts[0], name = parts[1], inner = parts.length > 2 ? parts[2] : null;
            for (Path root : huggingFaceRoots()) {
                Path repo = root.resolve("models--" + org + "--" + name);
                Optional<Path> snap = snapshot(repo, looked);
                if (snap.isPresent()) {
                    Optional<Path> hit = accept(snap.get(), inner, expectedAnyOf, looked);
                    if (hit.isPresent()) return hit.get();
                }
            }
            for (Path root : modelScopeRoots()) {
                for (String n : name.contains(".") ? List.of(name, name.replace(".", "___")) : List.of(name)) {
                    for (Path dir : List.of(root.resolve("hub").resolve(org).resolve(n), root.resolve("hub").resolve("models").resolve(org).resolve(n),
                            root.resolve("models").resolve(org).resolve(n), root.resolve(org).resolve(n))) {
                        if (!Files.isDirectory(dir)) {
                            looked.add(dir + " (absent)");
                            continue;
                        }
                        Optional<Path> hit = accept(dir, inner, expectedAnyOf, looked);
                        if (hit.isPresent()) return hit.get();
                    }
                }
            }
        }
        StringBuilder msg = new StringBuilder("no weights found for '").append(spec).append("'");
        if (!expectedAnyOf.isEmpty()) msg.append(" (expected one of ").append(String.join(", ", expectedAnyOf)).append(")");
        msg.append("; looked in:");
        for (String l : looked) msg.append("\n  ").append(l);
        msg.append("\nDownload the model (e.g. `huggingface-cli download ").append(spec.split("/").length >= 2 ? repoPart(spec) : spec)
                .append("`) or pass the folder or file explicitly; Palate never downloads.");
        throw new ModelNotFoundException(msg.toString());
    }

    /** The Hugging Face hub cache roots checked, in order (existing or not). */
    public List<Path> huggingFaceRoots() {
        List<Path> roots = new ArrayList<>();
        addEnv(roots, "HF_HUB_CACHE", null);
        addEnv(roots, "HUGGINGFACE_HUB_CACHE", null);
        addEnv(roots, "HF_HOME", "hub");
        addEnv(roots, "XDG_CACHE_HOME", "huggingface/hub");
        add(roots, home.resolve(".cache/huggingface/hub"));
        return roots;
    }

    /** The ModelScope cache roots checked, in order. */
    public List<Path> modelScopeRoots() {
        List<Path> roots = new ArrayList<>();
        addEnv(roots, "MODELSCOPE_CACHE", null);
        add(roots, home.resolve(".cache/modelscope"));
        return roots;
    }

    private Optional<Path> snapshot(Path repo, List<String> looked) {
        Path snaps = repo.resolve("snapshots");
        if (!Files.isDirectory(snaps)) {
            looked.add(repo + " (absent)");
            return Optional.empty();
        }
        Path ref = repo.resolve("refs/main");
        if (Files.isRegularFile(ref)) {
            try {
                String rev = Files.readString(ref).trim();
                Path s = snaps.resolve(rev);
                if (Files.isDirectory(s)) return Optional.of(s);
                throw new ModelNotFoundException(ref + " names snapshot " + rev + ", but " + s + " is not there (the download"
                        + " was interrupted or the cache pruned); the other snapshots of " + repo.getFileName() + " may hold other"
                        + " weights, so none is used instead: download the model again or pass the snapshot folder explicitly");
            } catch (IOException e) {
                throw new ModelNotFoundException(ref + " is unreadable (" + e.getMessage() + "); fix or remove it, or pass the"
                        + " snapshot folder explicitly");
            }
        }
        try (Stream<Path> s = Files.list(snaps)) {
            Optional<Path> newest = s.filter(Files::isDirectory).max(Comparator.comparing(ModelLocator::mtime));
            if (newest.isEmpty()) looked.add(snaps + " (no snapshot)");
            return newest;
        } catch (IOException e) {
            looked.add(snaps + " (unreadable: " + e.getMessage() + ")");
            return Optional.empty();
        }
    }

    private static Optional<Path> accept(Path dir, String inner, List<String> expected, List<String> looked) {
        Path p = inner == null ? dir : dir.resolve(inner);
        if (inner != null && !Files.exists(p)) {
            looked.add(p + " (absent)");
            return Optional.empty();
        }
        if (Files.isRegularFile(p) || holdsAny(p, expected)) return Optional.of(p);
        looked.add(p + " (none of the expected files)");
        return Optional.empty();
    }

    private static boolean holdsAny(Path dir, List<String> expected) {
        if (expected.isEmpty()) return true;
        for (String f : expected) if (Files.exists(dir.resolve(f))) return true;
        return false;
    }

    private void addEnv(List<Path> roots, String var, String sub) {
        String v = env.get(var);
        if (v == null || v.isBlank()) return;
        Path p = Path.of(v.startsWith("~/") ? home + v.substring(1) : v);
        add(roots, sub == null ? p : p.resolve(sub));
    }

    private static void add(List<Path> roots, Path p) {
        if (!roots.contains(p)) roots.add(p);
    }

    private static String repoPart(String spec) {
        String[] p = spec.split("/");
        return p[0] + "/" + p[1];
    }

    private static long mtime(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }
}
