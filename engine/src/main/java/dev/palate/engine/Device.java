package dev.palate.engine;

import org.bytedeco.pytorch.global.torch;

/** Where tensors live: the CPU or one CUDA device. */
public record Device(Kind kind, int index) {
    public enum Kind { CPU, CUDA }

    public static final Device CPU = new Device(Kind.CPU, -1);

    public static Device cuda(int index) { return new Device(Kind.CUDA, index); }

    /** Parses {@code cpu}, {@code cuda}, {@code cuda:1}. */
    public static Device parse(String s) {
        String v = s.trim().toLowerCase();
        if (v.equals("cpu")) return CPU;
        if (v.equals("cuda") || v.equals("gpu")) return cuda(0);
        if (v.startsWith("cuda:")) {
            try {
                return cuda(Integer.parseInt(v.substring(5)));
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new IllegalArgumentException("unknown device '" + s + "': use cpu, cuda or cuda:N");
    }

    public boolean isCuda() { return kind == Kind.CUDA; }

    /** A new libtorch device handle; the caller owns it (or a scope does). */
    public org.bytedeco.pytorch.Device toTorch() {
        NativeRuntime.ensureLoaded();
        return isCuda() ? new org.bytedeco.pytorch.Device(torch.DeviceType.CUDA, (byte) index)
                        : new org.bytedeco.pytorch.Device(torch.DeviceType.CPU, (byte) -1);
    }

    /** Fails with advice when CUDA is asked for but libtorch sees none. */
    public Device requireAvailable() {
        if (isCuda()) {
            NativeRuntime.ensureLoaded();
            if (!torch.cuda_is_available())
                throw new IllegalStateException("device " + this + " requested but libtorch sees no CUDA device: build with"
                        + " -Pgpu and put the CUDA 13 runtime on LD_LIBRARY_PATH ('./palate doctor' says what is missing)");
            long n = torch.cuda_device_count();
            if (index >= n) throw new IllegalStateException("device " + this + " requested but only " + n + " CUDA device(s) exist");
        }
        return this;
    }

    @Override
    public String toString() { return isCuda() ? "cuda:" + index : "cpu"; }
}
