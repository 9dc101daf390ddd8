package dev.palate.models;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import dev.palate.engine.DType;
import dev.palate.engine.Device;

/**
 * How to build a scorer.
 *
 * @param models    role → where the weights are: a folder, a file, a Hugging Face repo id ({@code org/name}, looked
 *                  up in the local HF cache) or a ModelScope id (its local cache). Roles: {@link #MODEL} (the main
 *                  checkpoint), {@link #BACKBONE} and {@link #HEAD} (aesthetic, hp). A missing role falls back to
 *                  the metric's default id, see {@link ScorerFactory#defaultModels()}.
 * @param device    where the towers run
 * @param dtype     the towers' dtype (fp32, fp16, bf16); heads, normalisation and similarities are always fp32
 * @param batchSize images per forward pass (and prompts per text forward pass)
 * @param shared    where loaded backbones are shared between scorers (e.g. aesthetic + clip-score load CLIP-L once)
 * @param settings  option key → value for this metric ({@code --set METRIC:KEY=VALUE}), checked against the metric's
 *                  {@link ScorerFactory#options()} by {@link ScorerRegistry#create}; an option not set takes its default
 */
public record ScorerOptions(Map<String, String> models, Device device, DType dtype, int batchSize, SharedModels shared,
                            Map<String, String> settings) {
    public static final String MODEL = "model";
    public static final String BACKBONE = "backbone";
    public static final String HEAD = "head";

    public ScorerOptions {
        models = Map.copyOf(models);
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(dtype, "dtype");
        if (dtype != DType.F32 && dtype != DType.F16 && dtype != DType.BF16)
            throw new IllegalArgumentException("dtype " + dtype.label() + " is not supported for scoring: use fp32, fp16 or bf16");
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        Objects.requireNonNull(shared, "shared");
        settings = Map.copyOf(settings);
    }

    /** fp32 on the CPU, batch 8, the process-wide model cache, no explicit models (defaults apply). */
    public static ScorerOptions defaults() { return builder().build(); }

    public static Builder builder() { return new Builder(); }

    /** The location given for {@code role}, or null. */
    public String model(String role) { return models.get(role); }

    /** The value set for option {@code key}, or null (the metric then uses the option's default). */
    public String setting(String key) { return settings.get(key); }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.models.putAll(models);
        b.settings.putAll(settings);
        return b.device(device).dtype(dtype).batchSize(batchSize).shared(shared);
    }

    public static final class Builder {
        private final Map<String, String> models = new LinkedHashMap<>();
        private final Map<String, String> settings = new LinkedHashMap<>();
        private Device device = Device.CPU;
        private DType dtype = DType.F32;
        private int batchSize = 8;
        private SharedModels shared = SharedModels.global();

        /** The main checkpoint (role {@link #MODEL}). */
        public Builder model(String location) { return model(MODEL, location); }

        public Builder model(String role, String location) {
            models.put(Objects.requireNonNull(role, "role"), Objects.requireNonNull(location, "location"));
            return this;
        }

        /** Sets one of the metric's options ({@link ScorerFactory#options()}), e.g. {@code set("resize", "antialias")}. */
        public Builder set(String key, String value) {
            settings.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public Builder device(Device d) { device = d; return this; }

        public Builder dtype(DType t) { dtype = t; return this; }

        public Builder batchSize(int n) { batchSize = n; return this; }

        public Builder shared(SharedModels s) { shared = s; return this; }

        public ScorerOptions build() { return new ScorerOptions(models, device, dtype, batchSize, shared, settings); }
    }
}
