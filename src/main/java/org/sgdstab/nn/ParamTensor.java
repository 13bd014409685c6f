package org.sgdstab.nn;

/**
 * One named parameter tensor of a layer, e.g. "weight" with shape (out, in).
 *
 * @param name  PyTorch's attribute name ("weight", "bias", "u", "v")
 * @param shape its shape in PyTorch's convention; stored row-major in θ
 */
public record ParamTensor(String name, int[] shape) {
    public ParamTensor {
        shape = shape.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** Number of elements. */
    public int size() {
        int s = 1;
        for (int d : shape) {
            s *= d;
        }
        return s;
    }
}
