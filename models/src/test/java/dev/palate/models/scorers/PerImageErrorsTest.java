package dev.palate.models.scorers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import dev.palate.models.ImageInput;
import dev.palate.models.ScoreMatrix;
import dev.palate.models.ScoreResult;
import dev.palate.models.Scorer;
import dev.palate.models.ScorerOptions;
import dev.palate.models.ScorerRegistry;
import dev.palate.models.SharedModels;

/** score(...) returns one result per image: a bad image fails alone, naming itself; NaN outputs are errors. */
class PerImageErrorsTest {
    @TempDir Path dir;

    @Test
    void oneUndecodableImageFailsAloneAndTheOthersKeepTheirScores() throws Exception {
        List<ImageInput> good = ScorerFixtures.images("clip-tiny-gelu").subList(4, 7);
        Path broken = dir.resolve("broken.png");
        Files.writeString(broken, "not a png");
        List<ImageInput> mixed = new ArrayList<>(good);
        mixed.add(1, ImageInput.of(broken));
        for (String metric : List.of("hpsv2", "pickscore")) {
            try (Scorer s = ScorerRegistry.create(metric, ClipScorerBehaviourTest.opts(new SharedModels(), 8))) {
                ScoreResult ref = s.score("a red cube", good);
                ScoreResult r = s.score("a red cube", mixed);
                assertEquals(4, r.size());
                assertEquals(1, r.failedCount());
                assertFalse(r.isOk(1));
                assertTrue(r.error(1).contains("broken.png"), r.error(1));
                assertTrue(Float.isNaN(r.values()[1]));
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> r.get(1));
                assertTrue(e.getMessage().contains("broken.png"), e.getMessage());
                // the good images score as they do without the bad one (same batch of 3), exactly
                assertEquals(ref.get(0), r.get(0), 0f);
                assertEquals(ref.get(1), r.get(2), 0f);
                assertEquals(ref.get(2), r.get(3), 0f);
                assertTrue(r.toString().startsWith(metric + "[" + ref.get(0) + ", error: "), r.toString());
                ScoreMatrix m = s.matrix(List.of("a red cube", "a blue ball"), mixed);
                assertFalse(m.isOk(1));
                assertTrue(m.error(1).contains("broken.png"));
                assertEquals(ref.get(2), m.get(0, 3), 0f);
                assertTrue(m.toString().contains("errors {1: "), m.toString());
            }
        }
    }

    @Test
    void aNullPromptIsRefusedWithAMessageSayingWhy() {
        List<ImageInput> images = ScorerFixtures.images("clip-tiny-gelu").subList(4, 5);
        try (Scorer s = ScorerRegistry.create("hpsv2", ClipScorerBehaviourTest.opts(new SharedModels(), 8))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.score((String) null, images));
            assertTrue(e.getMessage().contains("hpsv2: the prompt is null"), e.getMessage());
            java.util.List<String> prompts = new ArrayList<>();
            prompts.add(null);
            e = assertThrows(IllegalArgumentException.class, () -> s.score(prompts, images));
            assertTrue(e.getMessage().contains("prompt 0 is null"), e.getMessage());
        }
    }

    @Test
    void aCheckpointWithANanWeightGivesEachImageAnErrorNamingTheMetricNotANumber() throws Exception {
        Path model = dir.resolve("nan-model");
        Files.createDirectories(model);
        Path src = ScorerFixtures.CLIP.resolve("clip-tiny-gelu");
        Files.copy(src.resolve("open_clip_config.json"), model.resolve("open_clip_config.json"));
        Files.copy(src.resolve("model.safetensors"), model.resolve("model.safetensors"));
        fillWithNan(model.resolve("model.safetensors"), "visual.proj");
        List<ImageInput> images = ScorerFixtures.images("clip-tiny-gelu").subList(4, 6);
        try (Scorer s = ScorerRegistry.create("hpsv2", ScorerOptions.builder().model(model.toString()).build())) {
            ScoreResult r = s.score("a red cube", images);
            for (int i = 0; i < r.size(); i++) {
                assertFalse(r.isOk(i), r.toString());
                assertTrue(r.error(i).startsWith("hpsv2 returned NaN"), r.error(i));
            }
        }
    }

    /** Overwrites the float32 tensor {@code key} of a safetensors file with NaN. */
    static void fillWithNan(Path file, String key) throws Exception {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(len, 0);
            int n = (int) len.getLong(0);
            ByteBuffer header = ByteBuffer.allocate(n);
            ch.read(header, 8);
            JsonObject h = JsonParser.parseString(new String(header.array(), StandardCharsets.UTF_8)).getAsJsonObject();
            JsonObject t = h.getAsJsonObject(key);
            assertEquals("F32", t.get("dtype").getAsString());
            long begin = t.getAsJsonArray("data_offsets").get(0).getAsLong(), end = t.getAsJsonArray("data_offsets").get(1).getAsLong();
            ByteBuffer nan = ByteBuffer.allocate((int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
            while (nan.hasRemaining()) nan.putFloat(Float.NaN);
            nan.flip();
            ch.write(nan, 8 + n + begin);
        }
    }
}
