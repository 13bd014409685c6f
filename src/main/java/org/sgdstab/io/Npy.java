package org.sgdstab.io;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * NumPy {@code .npy} files (format versions 1.0, 2.0 and 3.0).
 *
 * <p>Reading accepts float ({@code f2 f4 f8}), signed and unsigned integer ({@code i1..i8},
 * {@code u1..u8}) and boolean ({@code b1}) dtypes in either byte order and in C or Fortran
 * order, and converts every element exactly to double (an integer that a double cannot hold
 * exactly is an error, not a silent rounding). Object (pickled), complex, string, datetime and
 * structured dtypes are refused. Every problem is an {@link InputException} whose one-line
 * message names the file.
 *
 * <p>Writing produces exactly what {@code numpy.save} writes for a C-ordered float64 array:
 * little-endian, format 1.0 (2.0 only for a header too long for 1.0), header padded so the
 * data starts at a multiple of 64 bytes.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** Magic plus the two version bytes. */
    private static final int PREAMBLE = MAGIC.length + 2;
    /** numpy.save aligns the data start to this many bytes. */
    private static final int ALIGN = 64;
    /** numpy.save leaves room for the growth axis to reach this many digits. */
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;
    /**
     * Refuse headers longer than this. Real headers are under a few hundred bytes (NumPy itself
     * refuses over 10000 characters by default); the cap stops a corrupt length from making us
     * allocate gigabytes.
     */
    static final int MAX_HEADER_BYTES = 1 << 20;
    /** Largest Java array length that every JVM accepts. */
    static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;
    /** Bytes read per bulk conversion step: large enough to amortise the system call. */
    private static final int CHUNK_BYTES = 1 << 22;
    /** Longest header excerpt quoted in an error message. */
    private static final int QUOTE_CHARS = 120;
    private static final Set<String> KEYS = Set.of("descr", "fortran_order", "shape");

    private Npy() {}

    /**
     * Reads a {@code .npy} file into a C-ordered array of doubles.
     *
     * @param file the file to read. Not modified.
     * @return the array, converted to double and to C order
     * @throws InputException if the file is missing, unreadable, malformed, of an unsupported
     *     dtype, or its data length does not match its shape
     */
    public static NdArray read(Path file) {
        return InputFiles.read(file, ".npy file", Npy::read);
    }

    private static NdArray read(Path file, FileChannel ch) throws IOException {
        long size = ch.size();
        ByteBuffer pre = ByteBuffer.allocate(PREAMBLE + 4).order(ByteOrder.LITTLE_ENDIAN);
        pre.limit((int) Math.min(pre.capacity(), size));
        readFully(ch, pre, 0);
        pre.flip();
        for (int i = 0; i < MAGIC.length; i++) {
            if (i >= pre.limit() || pre.get(i) != MAGIC[i]) {
                throw InputFiles.fail(file, "not a .npy file (bad magic: expected \\x93NUMPY)");
            }
        }
        if (size < PREAMBLE) {
            throw InputFiles.fail(file, "truncated: file ends inside the format version");
        }
        int major = pre.get(6) & 0xff;
        int minor = pre.get(7) & 0xff;
        if (minor != 0 || major < 1 || major > 3) {
            throw InputFiles.fail(file, "unsupported .npy format version " + major + "." + minor + " (supported: 1.0, 2.0, 3.0)");
        }
        int lengthBytes = major == 1 ? 2 : 4;
        if (size < PREAMBLE + lengthBytes) {
            throw InputFiles.fail(file, "truncated: file ends inside the header length");
        }
        long headerLength = major == 1 ? pre.getShort(PREAMBLE) & 0xffffL : pre.getInt(PREAMBLE) & 0xffffffffL;
        if (headerLength > MAX_HEADER_BYTES) {
            throw InputFiles.fail(file, "header length " + headerLength + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
        }
        long headerStart = PREAMBLE + lengthBytes;
        if (headerStart + headerLength > size) {
            throw InputFiles.fail(file, "truncated: header length is " + headerLength + " bytes but only "
                    + (size - headerStart) + " follow");
        }
        ByteBuffer hb = ByteBuffer.allocate((int) headerLength);
        readFully(ch, hb, headerStart);
        hb.flip();
        String header;
        if (major == 3) {
            try {
                header = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(hb).toString();
            } catch (CharacterCodingException e) {
                throw InputFiles.fail(file, "header is not valid UTF-8");
            }
        } else {
            header = StandardCharsets.ISO_8859_1.decode(hb).toString();
        }
        Header h = parseHeader(file, header);

        long dataStart = headerStart + headerLength;
        long expected = (long) h.count * h.dtype.size;
        long found = size - dataStart;
        if (found < expected) {
            throw InputFiles.fail(file, "truncated: expected " + expected + " data bytes, found " + found);
        }
        if (found > expected) {
            throw InputFiles.fail(file, "trailing garbage: expected " + expected + " data bytes, found " + found);
        }
        double[] data = new double[h.count];
        readData(file, ch, dataStart, h.dtype, data);
        if (h.fortranOrder && h.shape.length > 1) {
            data = fortranToC(h.shape, data);
        }
        return new NdArray(h.shape, data);
    }

    /** Reads {@code out.length} elements starting at {@code pos}, chunk by chunk, in bulk. */
    private static void readData(Path file, FileChannel ch, long pos, Dtype dtype, double[] out) throws IOException {
        int perChunk = CHUNK_BYTES / dtype.size;
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, (long) out.length * dtype.size)).order(dtype.order);
        int done = 0;
        while (done < out.length) {
            int count = Math.min(out.length - done, perChunk);
            buf.clear().limit(count * dtype.size);
            readFully(ch, buf, pos);
            buf.flip();
            decode(file, dtype, buf, out, done, count);
            done += count;
            pos += (long) count * dtype.size;
        }
    }

    private static void decode(Path file, Dtype dtype, ByteBuffer buf, double[] out, int off, int count) {
        switch (dtype.kind) {
            case 'f' -> {
                switch (dtype.size) {
                    case 8 -> buf.asDoubleBuffer().get(out, off, count);
                    case 4 -> {
                        FloatBuffer fb = buf.asFloatBuffer();
                        for (int i = 0; i < count; i++) {
                            out[off + i] = fb.get(i);
                        }
                    }
                    default -> {
                        ShortBuffer sb = buf.asShortBuffer();
                        for (int i = 0; i < count; i++) {
                            out[off + i] = SmallFloats.halfToDouble(sb.get(i));
                        }
                    }
                }
            }
            case 'b' -> {
                for (int i = 0; i < count; i++) {
                    out[off + i] = buf.get(i) != 0 ? 1.0 : 0.0;
                }
            }
            case 'i', 'u' -> decodeInteger(file, dtype, buf, out, off, count);
            default -> throw new IllegalStateException("dtype " + dtype.descr + " passed validation");
        }
    }

    private static void decodeInteger(Path file, Dtype dtype, ByteBuffer buf, double[] out, int off, int count) {
        boolean unsigned = dtype.kind == 'u';
        switch (dtype.size) {
            case 1 -> {
                for (int i = 0; i < count; i++) {
                    byte b = buf.get(i);
                    out[off + i] = unsigned ? b & 0xff : b;
                }
            }
            case 2 -> {
                ShortBuffer sb = buf.asShortBuffer();
                for (int i = 0; i < count; i++) {
                    short s = sb.get(i);
                    out[off + i] = unsigned ? s & 0xffff : s;
                }
            }
            case 4 -> {
                IntBuffer ib = buf.asIntBuffer();
                for (int i = 0; i < count; i++) {
                    int v = ib.get(i);
                    out[off + i] = unsigned ? Integer.toUnsignedLong(v) : v;
                }
            }
            default -> {
                LongBuffer lb = buf.asLongBuffer();
                for (int i = 0; i < count; i++) {
                    long v = lb.get(i);
                    // significant bits between the highest and lowest set bit; for a signed
                    // negative value the two's complement has the same span as its magnitude
                    // except at Long.MIN_VALUE, which is a power of two and fine either way
                    long mag = unsigned || v >= 0 ? v : -v;
                    if (64 - Long.numberOfLeadingZeros(mag) - Long.numberOfTrailingZeros(mag) > 53) {
                        String shown = unsigned ? Long.toUnsignedString(v) : Long.toString(v);
                        throw InputFiles.fail(file, "element " + (off + i) + " (" + shown + ") of dtype " + dtype.descr
                                + " cannot be represented exactly as a double");
                    }
                    out[off + i] = unsigned && v < 0 ? unsignedToDouble(v) : v;
                }
            }
        }
    }

    /** Exact for the values that pass the 53-bit check above. */
    private static double unsignedToDouble(long v) {
        return Math.scalb((double) (v >>> 11), 11) + (v & 0x7ff);
    }

    /**
     * Reorders Fortran-ordered data (first index fastest) into C order (last index fastest).
     * Walks the Fortran order with an odometer and keeps the matching C offset incrementally.
     */
    static double[] fortranToC(int[] shape, double[] f) {
        int k = shape.length;
        int[] cStride = new int[k];
        int s = 1;
        for (int j = k - 1; j >= 0; j--) {
            cStride[j] = s;
            s *= shape[j];
        }
        double[] c = new double[f.length];
        int[] idx = new int[k];
        int pos = 0;
        for (double v : f) {
            c[pos] = v;
            for (int j = 0; j < k; j++) {
                idx[j]++;
                pos += cStride[j];
                if (idx[j] < shape[j]) {
                    break;
                }
                pos -= cStride[j] * shape[j];
                idx[j] = 0;
            }
        }
        return c;
    }

    /**
     * Writes {@code a} as a little-endian float64, C-ordered {@code .npy} file, byte for byte as
     * {@code numpy.save} would, atomically (see {@link AtomicFiles}).
     *
     * @param file the file to create or replace. Modified.
     * @param a    the array. Not modified.
     * @throws IOException if writing fails; the file is then left as it was
     */
    public static void write(Path file, NdArray a) throws IOException {
        byte[] preambleAndHeader = header(a.shape());
        double[] data = a.data();
        AtomicFiles.write(file, out -> {
            out.write(preambleAndHeader);
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, (long) data.length * Double.BYTES))
                    .order(ByteOrder.LITTLE_ENDIAN);
            int perChunk = CHUNK_BYTES / Double.BYTES;
            for (int done = 0; done < data.length; ) {
                int count = Math.min(data.length - done, perChunk);
                buf.clear();
                buf.asDoubleBuffer().put(data, done, count);
                out.write(buf.array(), 0, count * Double.BYTES);
                done += count;
            }
        });
    }

    /** Magic, version, header length and padded header, as numpy.format._wrap_header builds them. */
    static byte[] header(int[] shape) {
        StringBuilder sb = new StringBuilder("{'descr': '<f8', 'fortran_order': False, 'shape': ");
        sb.append(pythonTuple(shape)).append(", }");
        if (shape.length > 0) {
            sb.append(" ".repeat(GROWTH_AXIS_MAX_DIGITS - Integer.toString(shape[0]).length()));
        }
        int major = 1;
        int lengthBytes = 2;
        int hlen = sb.length() + 1; // + the final newline
        int padlen = ALIGN - ((PREAMBLE + lengthBytes + hlen) % ALIGN);
        if (hlen + padlen > 0xffff) {
            major = 2;
            lengthBytes = 4;
            padlen = ALIGN - ((PREAMBLE + lengthBytes + hlen) % ALIGN);
        }
        sb.append(" ".repeat(padlen)).append('\n');
        byte[] text = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer out = ByteBuffer.allocate(PREAMBLE + lengthBytes + text.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) major).put((byte) 0);
        if (major == 1) {
            out.putShort((short) text.length);
        } else {
            out.putInt(text.length);
        }
        return out.put(text).array();
    }

    private static String pythonTuple(int[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i > 0 ? ", " : "").append(shape[i]);
        }
        return sb.append(shape.length == 1 ? ",)" : ")").toString();
    }

    // ---------------------------------------------------------------- header

    /** Element type: kind letter as in NumPy ('f', 'i', 'u', 'b'), size in bytes, byte order. */
    private record Dtype(String descr, char kind, int size, ByteOrder order) {}

    private record Header(Dtype dtype, boolean fortranOrder, int[] shape, int count) {}

    private static Header parseHeader(Path file, String text) {
        Object parsed;
        try {
            parsed = new PyLiteralParser(text).parseAll();
        } catch (IllegalArgumentException e) {
            throw InputFiles.fail(file, "malformed header (" + e.getMessage() + "): " + quote(text));
        }
        if (!(parsed instanceof Map<?, ?> dict)) {
            throw InputFiles.fail(file, "malformed header (not a dictionary): " + quote(text));
        }
        if (!dict.keySet().equals(KEYS)) {
            List<String> keys = new ArrayList<>();
            for (Object k : dict.keySet()) {
                keys.add(PyLiteralParser.repr(k));
            }
            throw InputFiles.fail(file, "header keys are " + keys + ", expected exactly 'descr', 'fortran_order', 'shape'");
        }
        Dtype dtype = parseDescr(file, dict.get("descr"));
        if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
            throw InputFiles.fail(file, "fortran_order is not True or False: " + PyLiteralParser.repr(dict.get("fortran_order")));
        }
        Object shapeValue = dict.get("shape");
        if (!(shapeValue instanceof PyLiteralParser.Tuple tuple)) {
            throw InputFiles.fail(file, "shape is not a tuple of ints: " + PyLiteralParser.repr(shapeValue));
        }
        int[] shape = new int[tuple.items().size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            if (!(tuple.items().get(i) instanceof BigInteger d)) {
                throw InputFiles.fail(file, "shape is not a tuple of ints: " + PyLiteralParser.repr(tuple));
            }
            if (d.signum() < 0) {
                throw InputFiles.fail(file, "negative dimension " + d + " in shape " + PyLiteralParser.repr(tuple));
            }
            if (d.bitLength() > 31) {
                throw InputFiles.fail(file, "dimension " + d + " in shape " + PyLiteralParser.repr(tuple) + " is too large");
            }
            shape[i] = d.intValue();
            // saturate: once past the limit the exact count no longer matters
            count = Math.min(count * shape[i], (long) MAX_ELEMENTS + 1);
        }
        if (count > MAX_ELEMENTS) {
            throw InputFiles.fail(file, "shape " + PyLiteralParser.repr(tuple) + " has more than " + MAX_ELEMENTS
                    + " elements, the most a Java array can hold");
        }
        return new Header(dtype, fortran, shape, (int) count);
    }

    private static Dtype parseDescr(Path file, Object descr) {
        if (descr instanceof List<?> || descr instanceof PyLiteralParser.Tuple) {
            throw InputFiles.fail(file, "structured dtype " + PyLiteralParser.repr(descr) + " is not supported (plain numeric arrays only)");
        }
        if (!(descr instanceof String s) || s.isEmpty()) {
            throw InputFiles.fail(file, "descr is not a dtype string: " + PyLiteralParser.repr(descr));
        }
        char first = s.charAt(0);
        boolean hasOrder = "<>=|".indexOf(first) >= 0;
        String body = hasOrder ? s.substring(1) : s;
        if (body.isEmpty()) {
            throw InputFiles.fail(file, "unknown dtype '" + s + "'");
        }
        char kind = body.charAt(0);
        String what = switch (kind) {
            case 'O' -> "object dtype '" + s + "' (pickled Python objects) is not supported";
            case 'c' -> "complex dtype '" + s + "' is not supported";
            case 'U', 'S', 'a' -> "string dtype '" + s + "' is not supported";
            case 'V' -> "void/structured dtype '" + s + "' is not supported";
            case 'M', 'm' -> "datetime/timedelta dtype '" + s + "' is not supported";
            case 'f', 'i', 'u', 'b' -> null;
            default -> "unknown dtype '" + s + "'";
        };
        if (what != null) {
            throw InputFiles.fail(file, what);
        }
        int size;
        try {
            size = Integer.parseInt(body.substring(1));
        } catch (NumberFormatException e) {
            throw InputFiles.fail(file, "unknown dtype '" + s + "'");
        }
        boolean ok = switch (kind) {
            case 'f' -> size == 2 || size == 4 || size == 8;
            case 'i', 'u' -> size == 1 || size == 2 || size == 4 || size == 8;
            default -> size == 1;
        };
        if (!ok) {
            throw InputFiles.fail(file, (kind == 'f' && (size == 12 || size == 16) ? "long double" : "unsupported")
                    + " dtype '" + s + "' is not supported (supported: f2 f4 f8 i1-i8 u1-u8 b1)");
        }
        ByteOrder order;
        if (first == '<') {
            order = ByteOrder.LITTLE_ENDIAN;
        } else if (first == '>') {
            order = ByteOrder.BIG_ENDIAN;
        } else if (first == '|' && size > 1) {
            throw InputFiles.fail(file, "dtype '" + s + "' has no byte order ('|') but is " + size + " bytes wide");
        } else {
            order = ByteOrder.nativeOrder(); // '=', missing, or '|' on single bytes
        }
        return new Dtype(s, kind, size, order);
    }

    // ---------------------------------------------------------------- helpers

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new IOException("file shrank while being read");
            }
            pos += n;
        }
    }

    private static String quote(String header) {
        String s = InputFiles.oneLine(header.strip());
        return s.length() <= QUOTE_CHARS ? s : s.substring(0, QUOTE_CHARS) + "...";
    }

    /**
     * Parser for the Python literals that appear in {@code .npy} headers: dicts, tuples, lists,
     * strings, integers (with the Python 2 {@code L} suffix), True, False and None. Anything else
     * is an error; nothing is evaluated.
     */
    static final class PyLiteralParser {
        /** A Python tuple, kept apart from lists because the shape must be a tuple. */
        record Tuple(List<Object> items) {}

        /** Python's None. */
        enum None { NONE }

        /** Deeper nesting than any real header; bounds the recursion. */
        private static final int MAX_DEPTH = 32;

        private final String s;
        private int pos;

        PyLiteralParser(String s) {
            this.s = s;
        }

        Object parseAll() {
            Object v = value(0);
            skipSpace();
            if (pos < s.length()) {
                throw error("unexpected text after the literal");
            }
            return v;
        }

        private Object value(int depth) {
            if (depth > MAX_DEPTH) {
                throw error("nested too deeply");
            }
            skipSpace();
            if (pos >= s.length()) {
                throw error("unexpected end");
            }
            char c = s.charAt(pos);
            switch (c) {
                case '{': {
                    pos++;
                    Map<Object, Object> map = new LinkedHashMap<>();
                    while (!tryConsume('}')) {
                        Object key = value(depth + 1);
                        if (key instanceof List<?> || key instanceof Map<?, ?>) {
                            throw error("unhashable dictionary key");
                        }
                        expect(':');
                        map.put(key, value(depth + 1));
                        if (!tryConsume(',')) {
                            expect('}');
                            break;
                        }
                    }
                    return map;
                }
                case '(': {
                    pos++;
                    List<Object> items = new ArrayList<>();
                    boolean comma = false;
                    while (!tryConsume(')')) {
                        items.add(value(depth + 1));
                        comma = tryConsume(',');
                        if (!comma) {
                            expect(')');
                            break;
                        }
                    }
                    // "(x)" is just x in Python; only a comma makes a one-element tuple
                    return items.size() == 1 && !comma ? items.get(0) : new Tuple(List.copyOf(items));
                }
                case '[': {
                    pos++;
                    List<Object> items = new ArrayList<>();
                    while (!tryConsume(']')) {
                        items.add(value(depth + 1));
                        if (!tryConsume(',')) {
                            expect(']');
                            break;
                        }
                    }
                    return items;
                }
                case '\'', '"':
                    return string(c);
                default:
                    if (c == '-' || c == '+' || (c >= '0' && c <= '9')) {
                        return integer();
                    }
                    if (Character.isLetter(c) || c == '_') {
                        int start = pos;
                        while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
                            pos++;
                        }
                        String word = s.substring(start, pos);
                        return switch (word) {
                            case "True" -> Boolean.TRUE;
                            case "False" -> Boolean.FALSE;
                            case "None" -> None.NONE;
                            default -> throw error("unexpected name '" + word + "'");
                        };
                    }
                    throw error("unexpected character '" + c + "'");
            }
        }

        private BigInteger integer() {
            int start = pos;
            if (s.charAt(pos) == '-' || s.charAt(pos) == '+') {
                pos++;
            }
            int digits = pos;
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                pos++;
            }
            if (pos == digits) {
                throw error("expected digits");
            }
            BigInteger v = new BigInteger(s.substring(start, pos));
            if (pos < s.length() && (s.charAt(pos) == 'L' || s.charAt(pos) == 'l')) {
                pos++; // Python 2 long suffix, still found in old files
            }
            if (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '.')) {
                throw error("not an integer");
            }
            return v;
        }

        private String string(char quote) {
            pos++;
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (pos >= s.length()) {
                    throw error("unterminated string");
                }
                char c = s.charAt(pos++);
                if (c == quote) {
                    return sb.toString();
                }
                if (c == '\n') {
                    throw error("unterminated string");
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                if (pos >= s.length()) {
                    throw error("unterminated string");
                }
                char e = s.charAt(pos++);
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case '0' -> sb.append('\0');
                    case '\\', '\'', '"' -> sb.append(e);
                    case 'x' -> sb.append((char) hex(2));
                    case 'u' -> sb.append((char) hex(4));
                    default -> sb.append('\\').append(e); // Python keeps unknown escapes verbatim
                }
            }
        }

        private int hex(int n) {
            if (pos + n > s.length()) {
                throw error("truncated escape");
            }
            try {
                int v = Integer.parseInt(s.substring(pos, pos + n), 16);
                pos += n;
                return v;
            } catch (NumberFormatException e) {
                throw error("bad escape");
            }
        }

        private void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        private boolean tryConsume(char c) {
            skipSpace();
            if (pos < s.length() && s.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        private void expect(char c) {
            if (!tryConsume(c)) {
                throw error("expected '" + c + "'");
            }
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException(what + " at character " + pos);
        }

        /** Python-like rendering for error messages. */
        static String repr(Object v) {
            if (v instanceof String str) {
                return "'" + str + "'";
            }
            if (v instanceof Boolean b) {
                return b ? "True" : "False";
            }
            if (v instanceof None) {
                return "None";
            }
            if (v instanceof Tuple t) {
                StringBuilder sb = new StringBuilder("(");
                for (int i = 0; i < t.items().size(); i++) {
                    sb.append(i > 0 ? ", " : "").append(repr(t.items().get(i)));
                }
                return sb.append(t.items().size() == 1 ? ",)" : ")").toString();
            }
            if (v instanceof List<?> l) {
                StringBuilder sb = new StringBuilder("[");
                for (int i = 0; i < l.size(); i++) {
                    sb.append(i > 0 ? ", " : "").append(repr(l.get(i)));
                }
                return sb.append("]").toString();
            }
            if (v instanceof Map<?, ?> m) {
                StringBuilder sb = new StringBuilder("{");
                boolean firstEntry = true;
                for (Map.Entry<?, ?> en : m.entrySet()) {
                    sb.append(firstEntry ? "" : ", ").append(repr(en.getKey())).append(": ").append(repr(en.getValue()));
                    firstEntry = false;
                }
                return sb.append("}").toString();
            }
            return String.valueOf(v);
        }
    }
}
