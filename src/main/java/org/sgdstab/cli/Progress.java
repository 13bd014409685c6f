package org.sgdstab.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.sgdstab.train.TrainRun;

/** A terminal progress bar, or nothing when output is not a terminal or --quiet is given. */
final class Progress implements TrainRun.Progress, AutoCloseable {
    private final ProgressBar bar;

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    static Progress open(String task, long total, boolean quiet) {
        if (quiet || System.console() == null) {
            return new Progress(null);
        }
        return new Progress(new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200).continuousUpdate().build());
    }

    @Override
    public void step(long step, double loss) {
        if (bar != null) {
            bar.stepTo(step);
            if (!Double.isNaN(loss)) {
                bar.setExtraMessage(String.format(" loss %.4g", loss));
            }
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
