package dev.palate.models.clip;

import java.util.List;
import java.util.Set;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * How a checkpoint's naming scheme spells each canonical weight. Canonical names are open_clip's
 * ({@link OpenClipNaming#canonicalKeys}); each scheme is one explicit table ({@link OpenClipNaming},
 * {@link HfClipNaming}).
 */
interface ClipNaming {

    /** "open_clip" or "huggingface". */
    String scheme();

    /** The file key(s) behind one canonical key and how they combine. */
    Mapping map(String canonicalKey);

    /** Keys a checkpoint in this scheme may carry that the model does not use (buffers). */
    Set<String> knownUnused();

    /** How file tensors become the canonical tensor (and back, for writing a checkpoint in this scheme). */
    enum Transform {
        /** Same tensor. */
        COPY,
        /** 2-d transpose: HF projections are Linear weights [E, W]; open_clip's are matrices [W, E]. */
        TRANSPOSE,
        /** q, k, v concatenated on dim 0 into open_clip's fused in_proj. */
        CONCAT_QKV;

        Tensor toCanonical(List<Tensor> parts) {
            switch (this) {
                case COPY: return parts.get(0);
                case TRANSPOSE: return parts.get(0).t();
                default: return torch.cat(new TensorVector(parts.get(0), parts.get(1), parts.get(2)), 0);
            }
        }

        List<Tensor> fromCanonical(Tensor t) {
            switch (this) {
                case COPY: return List.of(t);
                case TRANSPOSE: return List.of(t.t().contiguous());
                default:
                    long n = t.size(0) / 3;
                    return List.of(t.narrow(0, 0, n).contiguous(), t.narrow(0, n, n).contiguous(), t.narrow(0, 2 * n, n).contiguous());
            }
        }
    }

    /** @param fileKeys the file's keys, in the order {@link Transform#toCanonical} takes them */
    record Mapping(String canonicalKey, List<String> fileKeys, Transform transform) {}
}
