package org.sgdstab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class JitQuietTest {
    /**
     * Quiet after {@link JitQuiet#QUIET_RUNS} consecutive runs whose compilation time did not move; a
     * compilation in between starts the count again. Compilation times: baseline 5, then per run
     * 9 (compiled), 9, 12 (compiled), 12, 12.
     */
    @Test
    void quietAfterConsecutiveRunsWithoutCompilation() {
        assertEquals(2, JitQuiet.QUIET_RUNS, "the sequence below assumes two quiet runs");
        var times = List.of(5L, 9L, 9L, 12L, 12L, 12L).iterator();
        JitQuiet jit = new JitQuiet(times::next);
        assertTrue(jit.supported());
        assertFalse(jit.quietAfterRun(), "baseline");
        assertFalse(jit.quietAfterRun(), "compiled during run 1");
        assertFalse(jit.quietAfterRun(), "one quiet run");
        assertFalse(jit.quietAfterRun(), "compiled during run 3");
        assertFalse(jit.quietAfterRun(), "one quiet run");
        assertTrue(jit.quietAfterRun(), "two quiet runs");
    }

    @Test
    void unsupportedWithoutCompilationTime() {
        assertFalse(new JitQuiet(null).supported());
    }
}
