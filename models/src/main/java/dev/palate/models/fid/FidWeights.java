package dev.palate.models.fid;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.palate.engine.Device;
import dev.palate.engine.weights.StateDict;
import dev.palate.models.inception.FidInceptionV3;
import dev.palate.models.vgg.Vgg19Features;

/** Finds and opens the released checkpoints of the FID Inception and of VGG19. */
public final class FidWeights {
    public static final String INCEPTION_FILE = "pt_inception-2015-12-05-6726825d.pth";
    public static final String INCEPTION_URL = "https://github.com/mseitzer/pytorch-fid/releases/download/fid_weights/" + INCEPTION_FILE;
    public static final String VGG19_FILE = "vgg19-dcbb9e9d.pth";
    public static final String VGG19_URL = "https://download.pytorch.org/models/" + VGG19_FILE;

    private FidWeights() {}

    /**
     * {@code explicit} when given, else the file in torch hub's cache ({@code $TORCH_HOME/hub/checkpoints}, default
     * {@code ~/.cache/torch/hub/checkpoints}, where pytorch-fid and torchvision download it).
     */
    public static Path locate(Path explicit, String fileName, String url) {
        List<Path> tried = new ArrayList<>();
        if (explicit != null) {
            if (Files.exists(explicit)) return explicit;
            throw new IllegalArgumentException("weights " + explicit + " do not exist; download " + url);
        }
        String torchHome = System.getenv("TORCH_HOME");
        Path home = Path.of(System.getProperty("user.home"));
        List<Path> candidates = new ArrayList<>();
        if (torchHome != null) candidates.add(Path.of(torchHome, "hub", "checkpoints", fileName));
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null) candidates.add(Path.of(xdg, "torch", "hub", "checkpoints", fileName));
        candidates.add(home.resolve(".cache/torch/hub/checkpoints").resolve(fileName));
        for (Path c : candidates) {
            if (Files.isRegularFile(c)) return c;
            tried.add(c);
        }
        throw new IllegalArgumentException("no " + fileName + ": looked in " + tried + " (absent); download " + url
                + " there or pass --weights PATH");
    }

    /** The FID Inception from a checkpoint in the released naming (a {@code model.} prefix is accepted too). */
    public static FidInceptionV3 inception(Path file, Device device) {
        try (StateDict sd = StateDict.load(file)) {
            StateDict named = sd.contains("model.Conv2d_1a_3x3.conv.weight") ? sd.stripPrefix("model.") : sd;
            return FidInceptionV3.load(source(named), device);
        }
    }

    /** VGG19 {@code features} from torchvision's checkpoint (or a file holding only the features module). */
    public static Vgg19Features vgg19(Path file, Device device) {
        try (StateDict sd = StateDict.load(file)) {
            return Vgg19Features.load(source(sd), device);
        }
    }

    private static WeightSource source(StateDict sd) {
        return WeightSource.of(sd::get, sd.keys(), sd.source().toString());
    }
}
