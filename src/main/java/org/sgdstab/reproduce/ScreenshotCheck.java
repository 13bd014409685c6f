package org.sgdstab.reproduce;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * Checks a browser screenshot of report.html (used by .ci/run): exit 0 when it shows a page with
 * content, 1 when it is blank (fewer than {@link #MIN_COLOURS} distinct colours on a sampling grid)
 * or unreadable.
 */
public final class ScreenshotCheck {
    /** A rendered report has text, tables and plots: many colours. A blank page has one or two. */
    static final int MIN_COLOURS = 16;

    private ScreenshotCheck() {
    }

    /** The number of distinct colours on a grid of every 4th pixel. */
    static int colours(BufferedImage img) {
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 4) {
            for (int x = 0; x < img.getWidth(); x += 4) {
                seen.add(img.getRGB(x, y) & 0xffffff);
            }
        }
        return seen.size();
    }

    /** {@code ScreenshotCheck FILE.png}. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ScreenshotCheck SCREENSHOT.png");
            System.exit(2);
        }
        System.setProperty("java.awt.headless", "true");
        BufferedImage img = ImageIO.read(Path.of(args[0]).toFile());
        if (img == null) {
            System.err.println(args[0] + ": not a readable image");
            System.exit(1);
        }
        int c = colours(img);
        System.out.println(args[0] + ": " + img.getWidth() + "x" + img.getHeight() + ", " + c + " colours");
        System.exit(c >= MIN_COLOURS ? 0 : 1);
    }
}
