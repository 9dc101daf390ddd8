/**
 * The text side of the generative VLM judges DiffSynth-Studio ships (the models and the decoding loop live
 * elsewhere): for each judge the prompt it sends, the images it shows and their order, its generation settings, and
 * the parser and aggregation that turn the generated text into scores, ported from DiffSynth-Studio @fed7b18 with
 * Python's semantics and tested against the fixtures its own code made (testdata/qwen3vl-judge, qwen35-judge).
 * <ul>
 *   <li>{@link dev.palate.models.judges.UnifiedRewardEdit}: image-editing quality (pointwise, pairwise rank,
 *       pairwise score) on Qwen3-VL-8B.</li>
 *   <li>{@link dev.palate.models.judges.UnifiedReward2}: alignment, coherence, style 1–5 on Qwen3.5-9B.</li>
 *   <li>{@link dev.palate.models.judges.QwenImageBench}: five checklist dimensions, level 3 → 2 → 1 → total.</li>
 *   <li>{@link dev.palate.models.judges.GenerationSettings}: greedy, max new tokens, repetition penalty, eos/pad.</li>
 *   <li>{@link dev.palate.models.judges.PyJson}: Python's {@code json.loads}/{@code json.dumps} (NaN, duplicate keys,
 *       int vs float), for the rows of {@code palate parse}.</li>
 * </ul>
 * Package-private helpers port the Python built-ins the parsers depend on: {@code PyRegex} (Python {@code re} to
 * {@link java.util.regex.Pattern}: Unicode {@code \d}/{@code \s}/{@code \w}/{@code \b}, {@code .} excluding only
 * {@code \n}), {@code PyNumbers} ({@code int()} truncation and string rules, {@code float()} of Unicode digits),
 * {@code PyText} ({@code str.isspace}/{@code strip}), {@code PyException} (where upstream raises).
 *
 * <p>Beyond the fixtures, a differential run against DiffSynth's own functions on CPython 3.11 (20 000 generated
 * outputs: 7 030 UR-Edit over the three tasks, 5 048 UR2, 5 885 QIB dimensions and 2 037 QIB samples, 672 of them
 * raising upstream) gave identical {@code parsed}/{@code score} for every one, through {@code palate parse}.
 *
 * <p>A judge is used in three steps: render {@code messages(...)} with the checkpoint's
 * {@link dev.palate.tokenizers.chat.ChatTemplate} ({@code add_generation_prompt=true}, the judge's
 * {@code chatVariables()}), generate with its {@code GENERATION} settings, decode the new tokens with
 * {@code skip_special_tokens}, then {@code parse(text, ...)}.
 */
package dev.palate.models.judges;
