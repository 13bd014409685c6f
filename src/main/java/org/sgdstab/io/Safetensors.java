package org.sgdstab.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hugging Face safetensors files: an 8-byte little-endian header length N, N bytes of UTF-8
 * JSON header, then the data buffer. The header maps each tensor name to
 * {@code {"dtype": "F64", "shape": [..], "data_offsets": [begin, end]}} (offsets relative to
 * the start of the buffer) and may hold a {@code "__metadata__"} map of strings.
 *
 * <p>Reading checks everything the reference implementation checks (header length, JSON, each
 * entry, byte counts, no overlapping ranges, no bytes of the buffer left uncovered) and reports
 * the first problem as an {@link InputException} whose one-line message names the file and,
 * where there is one, the tensor. Writing lays out the header the way the reference does
 * (compact JSON, {@code __metadata__} first, padded with spaces to a multiple of 8 bytes) with
 * the tensors in the caller's map order.
 */
public final class Safetensors {
    /** Header lengths above this are refused, as a guard against allocating for a corrupt length. */
    public static final long MAX_HEADER_BYTES = 100L << 20;
    private static final String METADATA_KEY = "__metadata__";
    /** Bytes read per bulk conversion step. */
    private static final int CHUNK_BYTES = 1 << 22;
    /**
     * Jackson's default limit of 20 M characters per string could reject a header the format
     * allows; strings are bounded by the header cap instead.
     */
    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength((int) MAX_HEADER_BYTES).build())
            .build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** The element types this class reads and writes, stored little-endian. */
    public enum Dtype {
        /** IEEE binary64. */
        F64(8),
        /** IEEE binary32. */
        F32(4),
        /** IEEE binary16. */
        F16(2),
        /** bfloat16: the top 16 bits of a binary32. */
        BF16(2);

        /** Bytes per element. */
        public final int size;

        Dtype(int size) {
            this.size = size;
        }
    }

    private Safetensors() {}

    // ---------------------------------------------------------------- read

    /** One header entry, validated. */
    private record Entry(String name, Dtype dtype, int[] shape, int count, long begin, long end) {}

    /**
     * Reads a safetensors file, converting every tensor to double.
     *
     * @param file the file to read. Not modified.
     * @return the tensors in header order and the metadata
     * @throws InputException if the file is missing, unreadable or malformed in any way, or holds
     *     a tensor whose dtype is not F64, F32, F16 or BF16
     */
    public static SafetensorsFile read(Path file) {
        return InputFiles.read(file, "safetensors file", Safetensors::read);
    }

    private static SafetensorsFile read(Path file, FileChannel ch) throws IOException {
        long size = ch.size();
        if (size < 8) {
            throw InputFiles.fail(file, "truncated: " + size + " bytes, too short for the 8-byte header length");
        }
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, lenBuf, 0);
        long n = lenBuf.getLong(0);
        if (n < 0 || n > MAX_HEADER_BYTES) {
            throw InputFiles.fail(file, "header length " + Long.toUnsignedString(n) + " exceeds the limit of "
                    + MAX_HEADER_BYTES + " bytes");
        }
        if (8 + n > size) {
            throw InputFiles.fail(file, "header length " + n + " exceeds the file size (" + size + " bytes)");
        }
        ByteBuffer hb = ByteBuffer.allocate((int) n);
        readFully(ch, hb, 8);
        hb.flip();
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(hb).toString();
        } catch (CharacterCodingException e) {
            throw InputFiles.fail(file, "header is not valid UTF-8");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw InputFiles.fail(file, "header is not valid JSON: " + InputFiles.oneLine(e.getOriginalMessage()));
        }
        if (root == null || !root.isObject()) {
            throw InputFiles.fail(file, "header is not a JSON object");
        }

        long bufferStart = 8 + n;
        long bufferLength = size - bufferStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (field.getKey().equals(METADATA_KEY)) {
                readMetadata(file, field.getValue(), metadata);
            } else {
                entries.add(entry(file, field.getKey(), field.getValue(), bufferLength));
            }
        }
        checkLayout(file, entries, bufferLength);

        LinkedHashMap<String, NdArray> tensors = new LinkedHashMap<>();
        for (Entry e : entries) {
            double[] data = new double[e.count];
            readData(ch, bufferStart + e.begin, e.dtype, data);
            tensors.put(e.name, new NdArray(e.shape, data));
        }
        return new SafetensorsFile(tensors, metadata);
    }

    private static void readMetadata(Path file, JsonNode node, Map<String, String> out) {
        if (!node.isObject()) {
            throw InputFiles.fail(file, METADATA_KEY + " is not a JSON object");
        }
        for (Map.Entry<String, JsonNode> kv : node.properties()) {
            if (!kv.getValue().isTextual()) {
                throw InputFiles.fail(file, METADATA_KEY + " value for '" + kv.getKey() + "' is not a string");
            }
            out.put(kv.getKey(), kv.getValue().textValue());
        }
    }

    private static Entry entry(Path file, String name, JsonNode node, long bufferLength) {
        String where = "tensor '" + name + "'";
        if (!node.isObject()) {
            throw InputFiles.fail(file, where + ": entry is not a JSON object");
        }
        JsonNode dtypeNode = node.get("dtype");
        JsonNode shapeNode = node.get("shape");
        JsonNode offsetsNode = node.get("data_offsets");
        if (dtypeNode == null || shapeNode == null || offsetsNode == null) {
            throw InputFiles.fail(file, where + ": entry needs dtype, shape and data_offsets");
        }
        if (!dtypeNode.isTextual()) {
            throw InputFiles.fail(file, where + ": dtype is not a string");
        }
        Dtype dtype = dtypeOf(dtypeNode.textValue());
        if (dtype == null) {
            throw InputFiles.fail(file, where + ": unsupported dtype " + dtypeNode.textValue()
                    + " (supported: " + Arrays.toString(Dtype.values()) + ")");
        }
        if (!shapeNode.isArray()) {
            throw InputFiles.fail(file, where + ": shape is not a list");
        }
        int[] shape = new int[shapeNode.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.isIntegralNumber() || d.bigIntegerValue().signum() < 0 || !d.canConvertToInt()) {
                throw InputFiles.fail(file, where + ": shape " + shapeNode + " is not a list of non-negative ints");
            }
            shape[i] = d.intValue();
            // saturate: once past the limit the exact count no longer matters
            count = Math.min(count * shape[i], (long) Npy.MAX_ELEMENTS + 1);
        }
        if (count > Npy.MAX_ELEMENTS) {
            throw InputFiles.fail(file, where + ": shape " + shapeNode + " has more than " + Npy.MAX_ELEMENTS
                    + " elements, the most a Java array can hold");
        }
        if (!offsetsNode.isArray() || offsetsNode.size() != 2
                || !offsetsNode.get(0).isIntegralNumber() || !offsetsNode.get(1).isIntegralNumber()
                || offsetsNode.get(0).bigIntegerValue().signum() < 0 || offsetsNode.get(1).bigIntegerValue().signum() < 0) {
            throw InputFiles.fail(file, where + ": data_offsets " + offsetsNode + " is not a pair of non-negative ints");
        }
        if (!offsetsNode.get(0).canConvertToLong() || !offsetsNode.get(1).canConvertToLong()) {
            throw InputFiles.fail(file, where + ": data_offsets " + offsetsNode + " exceed the " + bufferLength + "-byte data buffer");
        }
        long begin = offsetsNode.get(0).longValue();
        long end = offsetsNode.get(1).longValue();
        if (begin > end) {
            throw InputFiles.fail(file, where + ": data_offsets " + offsetsNode + " end before they begin");
        }
        if (end > bufferLength) {
            throw InputFiles.fail(file, where + ": data_offsets " + offsetsNode + " exceed the " + bufferLength
                    + "-byte data buffer (file truncated?)");
        }
        long bytes = count * dtype.size;
        if (end - begin != bytes) {
            throw InputFiles.fail(file, where + ": data_offsets " + offsetsNode + " span " + (end - begin)
                    + " bytes but shape " + shapeNode + " of " + dtype + " needs " + bytes);
        }
        return new Entry(name, dtype, shape, (int) count, begin, end);
    }

    private static Dtype dtypeOf(String s) {
        for (Dtype d : Dtype.values()) {
            if (d.name().equals(s)) {
                return d;
            }
        }
        return null;
    }

    /** The ranges, sorted, must tile the buffer exactly: no overlap, no gap, nothing after. */
    private static void checkLayout(Path file, List<Entry> entries, long bufferLength) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long cursor = 0;
        Entry previous = null;
        for (Entry e : sorted) {
            if (e.begin < cursor) {
                throw InputFiles.fail(file, "tensor '" + e.name + "': data_offsets [" + e.begin + ", " + e.end
                        + "] overlap tensor '" + previous.name + "' [" + previous.begin + ", " + previous.end + "]");
            }
            if (e.begin > cursor) {
                throw InputFiles.fail(file, "bytes [" + cursor + ", " + e.begin + ") of the data buffer, before tensor '"
                        + e.name + "', are not covered by any tensor");
            }
            cursor = e.end;
            previous = e;
        }
        if (cursor < bufferLength) {
            throw InputFiles.fail(file, "bytes [" + cursor + ", " + bufferLength + ") at the end of the data buffer"
                    + " are not covered by any tensor");
        }
    }

    private static void readData(FileChannel ch, long pos, Dtype dtype, double[] out) throws IOException {
        if (out.length == 0) {
            return;
        }
        int perChunk = CHUNK_BYTES / dtype.size;
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, (long) out.length * dtype.size))
                .order(ByteOrder.LITTLE_ENDIAN);
        for (int done = 0; done < out.length; ) {
            int count = Math.min(out.length - done, perChunk);
            buf.clear().limit(count * dtype.size);
            readFully(ch, buf, pos);
            buf.flip();
            switch (dtype) {
                case F64 -> buf.asDoubleBuffer().get(out, done, count);
                case F32 -> {
                    FloatBuffer fb = buf.asFloatBuffer();
                    for (int i = 0; i < count; i++) {
                        out[done + i] = fb.get(i);
                    }
                }
                case F16 -> {
                    ShortBuffer sb = buf.asShortBuffer();
                    for (int i = 0; i < count; i++) {
                        out[done + i] = SmallFloats.halfToDouble(sb.get(i));
                    }
                }
                case BF16 -> {
                    ShortBuffer sb = buf.asShortBuffer();
                    for (int i = 0; i < count; i++) {
                        out[done + i] = SmallFloats.bfloat16ToDouble(sb.get(i));
                    }
                }
            }
            done += count;
            pos += (long) count * dtype.size;
        }
    }

    // ---------------------------------------------------------------- write

    /**
     * Writes the tensors as F64, atomically (see {@link AtomicFiles}).
     *
     * @param file     the file to create or replace. Modified.
     * @param tensors  the tensors, laid out in the map's iteration order. Not modified.
     * @param metadata the {@code __metadata__} strings; omitted from the header when empty. Not modified.
     * @throws IOException if writing fails; the file is then left as it was
     */
    public static void write(Path file, Map<String, NdArray> tensors, Map<String, String> metadata) throws IOException {
        write(file, tensors, metadata, Dtype.F64);
    }

    /**
     * Writes the tensors in the given dtype, rounding to nearest (ties to even) where it is
     * narrower than double, atomically (see {@link AtomicFiles}).
     *
     * @param file     the file to create or replace. Modified.
     * @param tensors  the tensors, laid out in the map's iteration order. Not modified.
     * @param metadata the {@code __metadata__} strings; omitted from the header when empty. Not modified.
     * @param dtype    the element type stored for every tensor
     * @throws IllegalArgumentException if a tensor is named {@code __metadata__}
     * @throws IOException if writing fails; the file is then left as it was
     */
    public static void write(Path file, Map<String, NdArray> tensors, Map<String, String> metadata, Dtype dtype)
            throws IOException {
        byte[] header = header(tensors, metadata, dtype);
        AtomicFiles.write(file, out -> {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
            out.write(len.array());
            out.write(header);
            ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            int perChunk = CHUNK_BYTES / dtype.size;
            for (NdArray a : tensors.values()) {
                double[] d = a.data();
                for (int done = 0; done < d.length; ) {
                    int count = Math.min(d.length - done, perChunk);
                    buf.clear();
                    encode(dtype, d, done, count, buf);
                    out.write(buf.array(), 0, count * dtype.size);
                    done += count;
                }
            }
        });
    }

    /** The JSON header, compact as serde_json writes it, padded with spaces to a multiple of 8. */
    static byte[] header(Map<String, NdArray> tensors, Map<String, String> metadata, Dtype dtype) {
        ObjectNode root = MAPPER.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject(METADATA_KEY);
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, NdArray> e : tensors.entrySet()) {
            if (e.getKey().equals(METADATA_KEY)) {
                throw new IllegalArgumentException("a tensor cannot be named " + METADATA_KEY);
            }
            NdArray a = e.getValue();
            ObjectNode t = root.putObject(e.getKey());
            t.put("dtype", dtype.name());
            ArrayNode shape = t.putArray("shape");
            for (int d : a.shape()) {
                shape.add(d);
            }
            long end = offset + (long) a.data().length * dtype.size;
            t.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json;
        try {
            json = MAPPER.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("serialising a tree of strings and numbers cannot fail", e);
        }
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    private static void encode(Dtype dtype, double[] d, int off, int count, ByteBuffer buf) {
        switch (dtype) {
            case F64 -> buf.asDoubleBuffer().put(d, off, count);
            case F32 -> {
                FloatBuffer fb = buf.asFloatBuffer();
                for (int i = 0; i < count; i++) {
                    fb.put(i, (float) d[off + i]);
                }
            }
            case F16 -> {
                ShortBuffer sb = buf.asShortBuffer();
                for (int i = 0; i < count; i++) {
                    sb.put(i, SmallFloats.doubleToHalf(d[off + i]));
                }
            }
            case BF16 -> {
                ShortBuffer sb = buf.asShortBuffer();
                for (int i = 0; i < count; i++) {
                    sb.put(i, SmallFloats.doubleToBfloat16(d[off + i]));
                }
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos);
            if (r < 0) {
                throw new IOException("file shrank while being read");
            }
            pos += r;
        }
    }
}
