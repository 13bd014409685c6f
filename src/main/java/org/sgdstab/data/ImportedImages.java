package org.sgdstab.data;

import java.util.List;

/**
 * The result of {@link ImageImport#run}: the data set and what is needed to interpret it.
 *
 * @param data        X (N × C·H·W, input shape [C, H, W]) and Y (N × K)
 * @param config      the import's config
 * @param sources     the files read, as given
 * @param sourceIndex for each row of X, the image's index in the source split
 * @param classes     the original label of each target class k = 0..K−1
 * @param classCounts the number of rows of each target class
 * @param channelMean per-channel mean of the pixels scaled to [0, 1], over the selected images
 * @param channelStd  per-channel population standard deviation of the same
 */
public record ImportedImages(Dataset data, ImportConfig config, List<String> sources, int[] sourceIndex, int[] classes,
                             int[] classCounts, double[] channelMean, double[] channelStd) {
    public ImportedImages {
        sources = List.copyOf(sources);
        sourceIndex = sourceIndex.clone();
        classes = classes.clone();
        classCounts = classCounts.clone();
        channelMean = channelMean.clone();
        channelStd = channelStd.clone();
    }

    @Override
    public int[] sourceIndex() {
        return sourceIndex.clone();
    }

    @Override
    public int[] classes() {
        return classes.clone();
    }

    @Override
    public int[] classCounts() {
        return classCounts.clone();
    }

    @Override
    public double[] channelMean() {
        return channelMean.clone();
    }

    @Override
    public double[] channelStd() {
        return channelStd.clone();
    }
}
