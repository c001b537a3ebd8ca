package org.hybridbench.api.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TrainingCheckpointTest {

    /** A stand-in optimizer with one state entry, to see state written and restored. */
    private static final class Recording implements Optimizer {
        Map<String, double[]> state = new HashMap<>();
        boolean wasReset;

        @Override
        public void step(List<ParameterBlock> blocks) {
        }

        @Override
        public void reset() {
            wasReset = true;
            state = new HashMap<>();
        }

        @Override
        public Map<String, double[]> state() {
            return state;
        }

        @Override
        public void restore(Map<String, double[]> s) {
            state = new HashMap<>(s);
        }
    }

    private static ParameterBlock block(String name, double... v) {
        return new ParameterBlock(name, new int[] {v.length}, v, new double[v.length]);
    }

    @Test
    void roundTripsValuesStepAndOptimizerState() throws IOException {
        Recording opt = new Recording();
        opt.state.put("m", new double[] {0.5, -1});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TrainingCheckpoint.write(out, "test-1", 7, List.of(block("a", 1, 2, 3), block("b", -4)), opt);

        ParameterBlock a = block("a", 0, 0, 0);
        ParameterBlock b = block("b", 0);
        Recording fresh = new Recording();
        int step = TrainingCheckpoint.read(new ByteArrayInputStream(out.toByteArray()), "test-1", List.of(a, b), fresh, "cp");
        assertEquals(7, step);
        assertArrayEquals(new double[] {1, 2, 3}, a.values());
        assertArrayEquals(new double[] {-4}, b.values());
        assertTrue(fresh.wasReset);
        assertArrayEquals(new double[] {0.5, -1}, fresh.state.get("m"));
    }

    @Test
    void refusesAnotherTrainersCheckpointOrAModelThatDoesNotFit() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TrainingCheckpoint.write(out, "test-1", 1, List.of(block("a", 1, 2)), null);
        byte[] bytes = out.toByteArray();
        IOException e = assertThrows(IOException.class,
                () -> TrainingCheckpoint.read(new ByteArrayInputStream(bytes), "other-1", List.of(block("a", 0, 0)), null, "cp"));
        assertTrue(e.getMessage().contains("cp: not a checkpoint of this trainer ('test-1', expected 'other-1')"), e.getMessage());
        e = assertThrows(IOException.class,
                () -> TrainingCheckpoint.read(new ByteArrayInputStream(bytes), "test-1", List.of(block("a", 0, 0, 0)), null, "cp"));
        assertTrue(e.getMessage().contains("block a (2 values) does not fit the model's a (3 values)"), e.getMessage());
        e = assertThrows(IOException.class, () -> TrainingCheckpoint.read(new ByteArrayInputStream(bytes), "test-1",
                List.of(block("a", 0, 0), block("b", 0)), null, "cp"));
        assertTrue(e.getMessage().contains("cp has 1 parameter blocks, the model 2 [a, b]"), e.getMessage());
    }
}
