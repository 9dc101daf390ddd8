package dev.palate.models.hpsv3;

import java.nio.file.Path;

import dev.palate.tokenizers.bpe.ByteLevelBpeTokenizer;

/**
 * Qwen2-VL's tokenizer as HPSv3 uses it: {@code processor.tokenizer.add_special_tokens({"additional_special_tokens":
 * ["<|Reward|>"]})} (HPSv3 train.py {@code create_model_and_processor}) — a special token after the last id, 151657
 * for Qwen2-VL-7B-Instruct. A tokenizer that has it already (HPSv3 folders saved with it) is used as is.
 */
final class Hpsv3Tokenizer {
    private Hpsv3Tokenizer() {}

    static ByteLevelBpeTokenizer load(Path folder) {
        ByteLevelBpeTokenizer t = ByteLevelBpeTokenizer.fromFolder(folder);
        if (t.addedTokenId(Hpsv3Prompt.REWARD_TOKEN).isPresent()) return t;
        return t.withSpecialToken(Hpsv3Prompt.REWARD_TOKEN);
    }
}
