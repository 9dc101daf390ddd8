package dev.palate.models.blip;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The two towers' sizes. Read from the folder of the weights: {@code med_config.json} (ImageReward ships it beside
 * {@code ImageReward.pt}; BERT-base when absent) and {@code vision_config.json} (absent for the released model, whose
 * tower is BLIP ViT-L/16 at 224). The text encoder's {@code encoder_width} is the vision width, as BLIP_Pretrain sets it.
 *
 * @param vision         the image tower
 * @param text           the MED text encoder, {@code encoderWidth == vision.width()}
 * @param visionDeclared whether a {@code vision_config.json} described the tower (else the preset was assumed)
 */
public record ImageRewardConfig(BlipVisionConfig vision, MedConfig text, boolean visionDeclared) {
    public static final String MED_CONFIG = "med_config.json";
    public static final String VISION_CONFIG = "vision_config.json";

    public ImageRewardConfig {
        if (text.encoderWidth() != vision.width())
            text = text.withEncoderWidth(vision.width());
    }

    /** ImageReward v1.0: ViT-L/16 at 224 and BERT-base MED with cross-attention to 1024-wide tokens. */
    public static ImageRewardConfig v1() {
        return new ImageRewardConfig(BlipVisionConfig.vitLarge16(), MedConfig.bertBase(), false);
    }

    /** Reads the config files in {@code folder}, falling back to {@link #v1()}'s parts for the absent ones. */
    public static ImageRewardConfig fromFolder(Path folder) {
        Path med = folder.resolve(MED_CONFIG);
        Path vision = folder.resolve(VISION_CONFIG);
        boolean declared = Files.isRegularFile(vision);
        return new ImageRewardConfig(declared ? BlipVisionConfig.parse(vision) : BlipVisionConfig.vitLarge16(),
                Files.isRegularFile(med) ? MedConfig.parse(med) : MedConfig.bertBase(), declared);
    }
}
