package dev.palate.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Offline model resolution over a fake home and environment. */
class ModelLocatorTest {
    @TempDir
    Path home;

    private Path hfSnapshot(Path hub, String org, String name, String rev) throws Exception {
        Path repo = hub.resolve("models--" + org + "--" + name);
        Path snap = repo.resolve("snapshots").resolve(rev);
        Files.createDirectories(snap);
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs/main"), rev + "\n");
        return snap;
    }

    @Test
    void huggingFaceIdResolvesToTheSnapshotNamedByRefsMain() throws Exception {
        Path hub = home.resolve(".cache/huggingface/hub");
        Path old = hfSnapshot(hub, "openai", "clip-vit-large-patch14", "aaa");
        Files.writeString(old.resolve("model.safetensors"), "x");
        Path snap = hfSnapshot(hub, "openai", "clip-vit-large-patch14", "bbb"); // refs/main now says bbb
        Files.writeString(snap.resolve("model.safetensors"), "x");
        ModelLocator l = new ModelLocator(Map.of(), home);
        assertEquals(snap, l.locate("openai/clip-vit-large-patch14", List.of("model.safetensors")));
    }

    @Test
    void refsMainNamingAMissingSnapshotIsAnErrorNotAFallbackToAnotherSnapshot() throws Exception {
        Path hub = home.resolve(".cache/huggingface/hub");
        Path old = hfSnapshot(hub, "openai", "clip-vit-large-patch14", "aaa");
        Files.writeString(old.resolve("model.safetensors"), "x");
        Files.writeString(hub.resolve("models--openai--clip-vit-large-patch14/refs/main"), "ccc\n"); // ccc was never downloaded
        ModelLocator l = new ModelLocator(Map.of(), home);
        ModelNotFoundException e = assertThrows(ModelNotFoundException.class,
                () -> l.locate("openai/clip-vit-large-patch14", List.of("model.safetensors")));
        assertTrue(e.getMessage().contains("names snapshot ccc, but "), e.getMessage());
        assertTrue(e.getMessage().contains("none is used instead"), e.getMessage());
    }

    @Test
    void hfHubCacheVariableWinsAndInnerPathsResolve() throws Exception {
        Path custom = home.resolve("elsewhere");
        Path snap = hfSnapshot(custom, "xswu", "HPSv2", "r1");
        Files.writeString(snap.resolve("HPS_v2.1_compressed.pt"), "x");
        ModelLocator l = new ModelLocator(Map.of("HF_HUB_CACHE", custom.toString()), home);
        assertEquals(snap.resolve("HPS_v2.1_compressed.pt"), l.locate("xswu/HPSv2/HPS_v2.1_compressed.pt", List.of()));
    }

    @Test
    void modelScopeCacheIsSearchedWithItsDotSpelling() throws Exception {
        Path ms = home.resolve("ms");
        Path dir = ms.resolve("hub/AI-ModelScope/clip.vit");
        Path dir2 = ms.resolve("hub/AI-ModelScope/clip___vit");
        Files.createDirectories(dir2);
        Files.writeString(dir2.resolve("pytorch_model.bin"), "x");
        ModelLocator l = new ModelLocator(Map.of("MODELSCOPE_CACHE", ms.toString()), home);
        assertEquals(dir2, l.locate("AI-ModelScope/clip.vit", List.of("model.safetensors", "pytorch_model.bin")));
        assertTrue(!Files.exists(dir));
    }

    @Test
    void nothingFoundListsEveryPlaceAndTheExpectedFiles() {
        ModelLocator l = new ModelLocator(Map.of("HF_HOME", home.resolve("hfhome").toString()), home);
        ModelNotFoundException e = assertThrows(ModelNotFoundException.class,
                () -> l.locate("yuvalkirstain/PickScore_v1", List.of("model.safetensors", "pytorch_model.bin")));
        String m = e.getMessage();
        assertTrue(m.contains(home.resolve("hfhome/hub/models--yuvalkirstain--PickScore_v1").toString()), m);
        assertTrue(m.contains(home.resolve(".cache/huggingface/hub/models--yuvalkirstain--PickScore_v1").toString()), m);
        assertTrue(m.contains(home.resolve(".cache/modelscope/hub/yuvalkirstain/PickScore_v1").toString()), m);
        assertTrue(m.contains("pytorch_model.bin"), m);
    }

    @Test
    void anExistingFolderWithoutTheExpectedFilesIsRefused() throws Exception {
        Path d = Files.createDirectories(home.resolve("empty"));
        ModelNotFoundException e = assertThrows(ModelNotFoundException.class,
                () -> new ModelLocator(Map.of(), home).locate(d.toString(), List.of("model.safetensors")));
        assertTrue(e.getMessage().contains(d.toString()) && e.getMessage().contains("model.safetensors"), e.getMessage());
    }
}
