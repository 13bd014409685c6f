package org.sgdstab.reproduce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.sgdstab.io.AtomicFiles;
import org.sgdstab.report.Json;

/**
 * Finished runs, one directory each under {@code root}: {@code <kind>-<hash of the run's key>/}. A run's
 * outputs are written first and its {@code done.json} (the key and the run's results) last, atomically,
 * so a directory without {@code done.json} is an unfinished run that a resume simply redoes, and a
 * finished run is never redone. The same key in two figures is one run.
 */
public final class RunCache {
    /** The completion marker. */
    public static final String DONE = "done.json";
    private static final ObjectMapper CANONICAL = new ObjectMapper();

    private final Path root;
    private final AtomicInteger executed = new AtomicInteger();
    private final AtomicInteger reused = new AtomicInteger();

    /** A cache in {@code root} (created on first write). */
    public RunCache(Path root) {
        this.root = root;
    }

    /** A stable id: kind and 16 hex digits of the SHA-256 of the key with sorted fields. */
    public static String id(String kind, ObjectNode key) {
        try {
            String canon = CANONICAL.writeValueAsString(sorted(key));
            byte[] h = MessageDigest.getInstance("SHA-256").digest((kind + "\n" + canon).getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder(kind).append('-');
            for (int i = 0; i < 8; i++) {
                sb.append(String.format("%02x", h[i]));
            }
            return sb.toString();
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> sorted(JsonNode node) {
        Map<String, Object> m = new TreeMap<>();
        node.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().isObject() ? sorted(e.getValue()) : e.getValue()));
        return m;
    }

    /** The directory of run {@code id}. */
    public Path dir(String id) {
        return root.resolve(id);
    }

    /** The finished run's done.json, or null when it has not finished. */
    public ObjectNode finished(String id) {
        Path f = dir(id).resolve(DONE);
        if (!Files.exists(f)) {
            return null;
        }
        try {
            JsonNode n = Json.MAPPER.readTree(Files.readString(f));
            if (n instanceof ObjectNode o) {
                reused.incrementAndGet();
                return o;
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f, e);
        }
    }

    /** Marks run {@code id} finished with {@code result} (written last, atomically). */
    public void finish(String id, ObjectNode result) {
        Path f = dir(id).resolve(DONE);
        try {
            Files.createDirectories(f.getParent());
            AtomicFiles.writeString(f, Json.write(result));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + f, e);
        }
        executed.incrementAndGet();
    }

    /** Runs executed (finished) by this process. */
    public int executed() {
        return executed.get();
    }

    /** Finished runs found and reused. */
    public int reused() {
        return reused.get();
    }
}
