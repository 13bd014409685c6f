package org.sgdstab.reproduce;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.sgdstab.io.AtomicFiles;
import org.sgdstab.report.Json;
import org.sgdstab.report.Provenance;

/**
 * The single self-contained page of a reproduction: every figure (PNGs embedded as data URIs) with its
 * setup table and data files, every claim with its numbers and verdict, provenance and runtime. Its
 * script sets {@code data-images="ok"} on the root element once every image has decoded (naturalWidth
 * &gt; 0), or {@code "broken"}, so a headless browser can check the page.
 */
public final class ReportHtml {
    /** The attribute the page's script sets on {@code <html>}. */
    public static final String MARKER_ATTRIBUTE = "data-images";

    private ReportHtml() {
    }

    /** Writes the report for {@code result} to {@code file}; the plots are read from {@code out/figN/}. */
    public static void write(Path file, Path out, Reproduce.Result result, ReproduceConfig cfg, Provenance provenance) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>sgd-stability: reproduction</title>\n<style>\n")
                .append("body{font-family:system-ui,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}\n")
                .append("table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}\n")
                .append(".pass{color:#176e2d;font-weight:bold}.fail{color:#b00020;font-weight:bold}\n")
                .append(".panels{display:flex;flex-wrap:wrap;gap:12px}.panels figure{margin:0}.panels img{max-width:560px;border:1px solid #ddd}\n")
                .append("code{background:#f4f4f4;padding:0 3px}\n</style></head><body>\n");
        long passed = result.figures().stream().flatMap(f -> f.claims().stream()).filter(Claim::passed).count();
        long total = result.figures().stream().mapToLong(f -> f.claims().size()).sum();
        h.append("<h1>The alignment property of SGD noise: reproduction</h1>\n<p>Wu, Wang &amp; Su, NeurIPS 2022. Scale <code>")
                .append(esc(cfg.scale().cliName())).append("</code>, seed ").append(cfg.seed()).append(". Claims passed: <b>")
                .append(passed).append(" of ").append(total).append("</b>. Runtime ").append(String.format("%.1f", result.seconds()))
                .append(" s (").append(result.executed()).append(" runs executed, ").append(result.reused()).append(" reused).</p>\n");
        h.append("<h2>Claims</h2>\n<table><tr><th>claim</th><th>statement</th><th>measured</th><th>test</th><th>verdict</th></tr>\n");
        for (FigureOutput f : result.figures()) {
            for (Claim c : f.claims()) {
                claimRow(h, c);
            }
        }
        h.append("</table>\n");
        for (FigureOutput f : result.figures()) {
            h.append("<h2 id=\"").append(f.id()).append("\">").append(esc(f.id())).append(": ").append(esc(f.title())).append("</h2>\n");
            h.append("<table><tr><th>setup</th><th></th></tr>\n");
            for (String[] row : f.setup()) {
                h.append("<tr><td>").append(esc(row[0])).append("</td><td>").append(esc(row[1])).append("</td></tr>\n");
            }
            h.append("</table>\n<div class=\"panels\">\n");
            for (FigureOutput.Panel p : f.panels()) {
                Path png = out.resolve(f.id()).resolve(p.file() + ".png");
                String data;
                try {
                    data = Base64.getEncoder().encodeToString(Files.readAllBytes(png));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + png, e);
                }
                h.append("<figure><img alt=\"").append(esc(p.caption())).append("\" src=\"data:image/png;base64,").append(data)
                        .append("\"><figcaption>").append(esc(p.caption())).append(" (<code>").append(esc(f.id() + "/" + p.file()))
                        .append(".png/.svg</code>)</figcaption></figure>\n");
            }
            h.append("</div>\n<p>Data: ");
            for (String d : f.data()) {
                h.append("<code>").append(esc(f.id() + "/" + d)).append("</code> ");
            }
            h.append("<code>").append(esc(f.id())).append("/claims.json</code></p>\n<table><tr><th>claim</th><th>statement</th><th>measured</th><th>test</th><th>verdict</th></tr>\n");
            for (Claim c : f.claims()) {
                claimRow(h, c);
            }
            h.append("</table>\n");
        }
        h.append("<h2>Provenance</h2>\n<pre>").append(esc(Json.write(Json.tree(provenance)))).append("</pre>\n");
        h.append("<script>\n(function(){function check(){var imgs=document.images,ok=imgs.length>0;")
                .append("for(var i=0;i<imgs.length;i++){if(!(imgs[i].complete&&imgs[i].naturalWidth>0)){ok=false;}}")
                .append("document.documentElement.setAttribute('").append(MARKER_ATTRIBUTE).append("',ok?'ok':'broken');}")
                .append("if(document.readyState==='complete'){check();}else{window.addEventListener('load',check);}})();\n</script>\n");
        h.append("</body></html>\n");
        try {
            AtomicFiles.writeString(file, h.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void claimRow(StringBuilder h, Claim c) {
        h.append("<tr><td><code>").append(esc(c.id())).append("</code></td><td>").append(esc(c.statement())).append("</td><td>");
        for (Map.Entry<String, Double> e : c.measured().entrySet()) {
            h.append(esc(e.getKey())).append(" = ").append(String.format("%.4g", e.getValue())).append("<br>");
        }
        h.append("</td><td>").append(esc(c.threshold())).append("</td><td class=\"").append(c.passed() ? "pass\">PASS" : "fail\">FAIL")
                .append("</td></tr>\n");
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
