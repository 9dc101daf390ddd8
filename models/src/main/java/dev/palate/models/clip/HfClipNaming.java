package dev.palate.models.clip;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hugging Face {@code CLIPModel} naming: the table below maps each open_clip name to its HF name(s); it is the
 * conversion DiffSynth's ImageMetricsOpenCLIPStateDictConverter performs (models.md §1.1). {@code {i}} is a block
 * index; {@code {qkv}} expands to q, k, v in that order.
 */
final class HfClipNaming implements ClipNaming {
    static final HfClipNaming INSTANCE = new HfClipNaming();

    private record Row(String openClip, String hf, Transform transform) {}

    private static final List<Row> TOWER_BLOCK = List.of(
            new Row("ln_1.weight", "layer_norm1.weight", Transform.COPY),
            new Row("ln_1.bias", "layer_norm1.bias", Transform.COPY),
            new Row("attn.in_proj_weight", "self_attn.{qkv}_proj.weight", Transform.CONCAT_QKV),
            new Row("attn.in_proj_bias", "self_attn.{qkv}_proj.bias", Transform.CONCAT_QKV),
            new Row("attn.out_proj.weight", "self_attn.out_proj.weight", Transform.COPY),
            new Row("attn.out_proj.bias", "self_attn.out_proj.bias", Transform.COPY),
            new Row("ln_2.weight", "layer_norm2.weight", Transform.COPY),
            new Row("ln_2.bias", "layer_norm2.bias", Transform.COPY),
            new Row("mlp.c_fc.weight", "mlp.fc1.weight", Transform.COPY),
            new Row("mlp.c_fc.bias", "mlp.fc1.bias", Transform.COPY),
            new Row("mlp.c_proj.weight", "mlp.fc2.weight", Transform.COPY),
            new Row("mlp.c_proj.bias", "mlp.fc2.bias", Transform.COPY));

    private static final List<Row> TABLE = buildTable();

    private static List<Row> buildTable() {
        List<Row> t = new ArrayList<>(List.of(
                new Row("token_embedding.weight", "text_model.embeddings.token_embedding.weight", Transform.COPY),
                new Row("positional_embedding", "text_model.embeddings.position_embedding.weight", Transform.COPY),
                new Row("ln_final.weight", "text_model.final_layer_norm.weight", Transform.COPY),
                new Row("ln_final.bias", "text_model.final_layer_norm.bias", Transform.COPY),
                new Row("text_projection", "text_projection.weight", Transform.TRANSPOSE),
                new Row("visual.class_embedding", "vision_model.embeddings.class_embedding", Transform.COPY),
                new Row("visual.conv1.weight", "vision_model.embeddings.patch_embedding.weight", Transform.COPY),
                new Row("visual.positional_embedding", "vision_model.embeddings.position_embedding.weight", Transform.COPY),
                new Row("visual.ln_pre.weight", "vision_model.pre_layrnorm.weight", Transform.COPY), // sic: HF's typo
                new Row("visual.ln_pre.bias", "vision_model.pre_layrnorm.bias", Transform.COPY),
                new Row("visual.ln_post.weight", "vision_model.post_layernorm.weight", Transform.COPY),
                new Row("visual.ln_post.bias", "vision_model.post_layernorm.bias", Transform.COPY),
                new Row("visual.proj", "visual_projection.weight", Transform.TRANSPOSE),
                new Row("logit_scale", "logit_scale", Transform.COPY)));
        for (Row r : TOWER_BLOCK) {
            t.add(new Row("transformer.resblocks.{i}." + r.openClip, "text_model.encoder.layers.{i}." + r.hf, r.transform));
            t.add(new Row("visual.transformer.resblocks.{i}." + r.openClip, "vision_model.encoder.layers.{i}." + r.hf, r.transform));
        }
        return List.copyOf(t);
    }

    private static final List<Pattern> PATTERNS = TABLE.stream()
            .map(r -> Pattern.compile(Pattern.quote(r.openClip).replace("{i}", "\\E(\\d+)\\Q"))).toList();

    private HfClipNaming() {}

    @Override
    public String scheme() { return "huggingface"; }

    @Override
    public Mapping map(String canonicalKey) {
        for (int n = 0; n < TABLE.size(); n++) {
            Matcher m = PATTERNS.get(n).matcher(canonicalKey);
            if (!m.matches()) continue;
            Row r = TABLE.get(n);
            String hf = m.groupCount() > 0 ? r.hf.replace("{i}", m.group(1)) : r.hf;
            List<String> keys = r.transform == Transform.CONCAT_QKV
                    ? List.of(hf.replace("{qkv}", "q"), hf.replace("{qkv}", "k"), hf.replace("{qkv}", "v"))
                    : List.of(hf);
            return new Mapping(canonicalKey, keys, r.transform);
        }
        throw new IllegalArgumentException("no Hugging Face name for CLIP weight '" + canonicalKey + "'");
    }

    @Override
    public Set<String> knownUnused() {
        return Set.of("text_model.embeddings.position_ids", "vision_model.embeddings.position_ids");
    }
}
