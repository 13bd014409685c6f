package org.sgdstab.reproduce;

import java.util.List;

/**
 * What a figure produced, for claims.json and the report.
 *
 * @param id     "fig1" … "fig6"
 * @param title  the paper's caption, shortened
 * @param setup  rows of (parameter, value) describing the setup
 * @param panels the plots, each a file base name (without .png/.svg) in the figure's folder and a caption
 * @param data   the data files in the figure's folder
 * @param claims the checked claims
 */
public record FigureOutput(String id, String title, List<String[]> setup, List<Panel> panels, List<String> data, List<Claim> claims) {
    /** One plot. */
    public record Panel(String file, String caption) {
    }
}
