package dev.palate.models.clip;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** The MLP activation of a CLIP tower. */
public enum Activation {
    /** Exact erf GELU: LAION ViT-H-14 and its fine-tunes (PickScore, HPSv2, ICT, HP). */
    GELU,
    /** {@code x * sigmoid(1.702 x)}: OpenAI-trained towers (ViT-L/14 openai). */
    QUICK_GELU,
    /** tanh-approximated GELU ({@code gelu_new}, {@code gelu_pytorch_tanh} in HF configs). */
    GELU_TANH;

    /** Parses a Hugging Face {@code hidden_act}; {@code where} names the file and field for the error. */
    public static Activation fromHuggingFace(String hiddenAct, String where) {
        switch (hiddenAct) {
            case "gelu": return GELU;
            case "quick_gelu": return QUICK_GELU;
            case "gelu_new": case "gelu_pytorch_tanh": case "gelu_fast": return GELU_TANH;
            default:
                throw new IllegalArgumentException(where + ": unsupported hidden_act '" + hiddenAct
                        + "' (supported: gelu, quick_gelu, gelu_new, gelu_pytorch_tanh)");
        }
    }

    Tensor apply(Tensor x) {
        switch (this) {
            case GELU: return torch.gelu(x, "none");
            case GELU_TANH: return torch.gelu(x, "tanh");
            default: return x.mul(torch.sigmoid(x.mul(new org.bytedeco.pytorch.Scalar(1.702))));
        }
    }
}
