package org.sgdstab.reproduce;

/** The model families of the paper's Figures 1–6. */
public enum Family {
    /** Random ReLU features on the sphere with a trainable linear head (Proposition 2.5). */
    RF("random features", "features m"),
    /** A deep linear network x ↦ W3 W2 W1 x in the low-sample regime n &lt; d. */
    LINEAR("deep linear net", "hidden width"),
    /** A one-hidden-layer tanh network on Fashion-MNIST. */
    FCN("FCN (Fashion-MNIST)", "hidden width"),
    /** A small CNN on Fashion-MNIST: conv3×3(1→c) ReLU maxpool conv3×3(c→2c) ReLU maxpool, linear read-out. */
    CNN("CNN (Fashion-MNIST)", "channels c"),
    /** A VGG network without batch normalisation on Fashion-MNIST (Figures 5–6). */
    VGG("VGG (Fashion-MNIST)", "depth"),
    /** A CIFAR-style ResNet without normalisation, Fixup init, on Fashion-MNIST (Figures 5–6). */
    RESNET("ResNet (Fashion-MNIST)", "depth");

    private final String label;
    private final String sizeName;

    Family(String label, String sizeName) {
        this.label = label;
        this.sizeName = sizeName;
    }

    /** Human-readable name for plots and the report. */
    public String label() {
        return label;
    }

    /** What the family's size parameter is. */
    public String sizeName() {
        return sizeName;
    }

    /** Lower-case key for file names and CSV cells. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
