package dev.palate.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Sample grouping as webdataset's tariterators.py does it, on shards written here. */
class WebDatasetReaderTest {
    static final byte[] JPG = {1, 2, 3}, PNG = {4, 5}, WEBP = {6};

    static List<WebDatasetReader.Sample> read(byte[] tar) {
        List<WebDatasetReader.Sample> out = new ArrayList<>();
        try (WebDatasetReader r = new WebDatasetReader("00000.tar", new ByteArrayInputStream(tar))) {
            r.forEachRemaining(out::add);
        }
        return out;
    }

    @Test
    void consecutiveMembersWithOneKeyMakeASampleWithTheTxtCaptionElseTheJsonCaption() throws Exception {
        byte[] tar = new WebDatasetShards()
                .add("__meta__", "skipped: webdataset's metadata member")
                .add("000000.jpg", JPG).add("000000.txt", "a red cube\n").add("000000.json", "{\"caption\": \"not this one\"}")
                .add("000001.json", "{\"caption\": \"a blue ball\", \"width\": 64}").add("000001.PNG", PNG)
                .add("dir/000002.webp", WEBP)
                .bytes();
        List<WebDatasetReader.Sample> s = read(tar);
        assertEquals(List.of("000000", "000001", "dir/000002"), s.stream().map(WebDatasetReader.Sample::key).toList());
        assertArrayEquals(JPG, s.get(0).image());
        assertEquals("a red cube\n", s.get(0).prompt(), "the .txt member as written");
        assertEquals("00000.tar:000000.jpg", s.get(0).name());
        assertArrayEquals(PNG, s.get(1).image(), "extensions are lower-cased");
        assertEquals("a blue ball", s.get(1).prompt());
        assertNull(s.get(2).prompt());
    }

    @Test
    void theKeyEndsAtTheFirstDotOfTheFileNameAndARepeatedKeyLaterStartsANewSample() {
        assertArrayEquals(new String[] {"a.b/c", "seg.png"}, WebDatasetReader.keyAndExtension("a.b/c.seg.png"));
        assertNull(WebDatasetReader.keyAndExtension("noext"));
        assertNull(WebDatasetReader.keyAndExtension("dir/.hidden"));
        assertEquals(List.of("x", "y", "x"), Arrays.stream(new String[] {"x.jpg", "y.jpg", "x.txt"})
                .map(p -> WebDatasetReader.keyAndExtension(p)[0]).toList());
    }

    @Test
    void aSampleWithoutAnImageAndATruncatedShardGiveRowsThatSayWhyInsteadOfFailing() throws Exception {
        byte[] tar = new WebDatasetShards().add("000000.jpg", JPG).add("000001.txt", "caption only")
                .add("000002.jpg", new byte[5000]).bytes();
        List<WebDatasetReader.Sample> s = read(tar);
        assertEquals(3, s.size());
        assertNull(s.get(1).image());
        assertTrue(s.get(1).name().contains("000001 (no image member among .txt"), s.get(1).name());
        List<WebDatasetReader.Sample> cut = read(Arrays.copyOf(tar, 2048 + 512)); // ends inside 000002.jpg's data
        WebDatasetReader.Sample last = cut.get(cut.size() - 1);
        assertNull(last.image());
        assertTrue(last.name().contains("unreadable") && last.name().startsWith("00000.tar"), last.name());
    }
}
