package org.hybridbench.api.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Double and float blocks: storage views, precision-independent copies, clear errors, checkpoints across precisions. */
class ParameterBlockTest {

    @Test
    void aFloatBlockIsAViewOfItsArrays() {
        float[] v = {1.5f, -2, 0.25f, 3, 4, 5};
        float[] g = new float[6];
        ParameterBlock b = ParameterBlock.ofFloats("0_W", new int[] {2, 3}, v, g);
        assertTrue(b.isSinglePrecision());
        assertEquals(6, b.size());
        assertSame(v, b.floatValues());
        assertSame(g, b.floatGradient());
        g[2] = 0.5f;
        assertArrayEquals(new double[] {1.5, -2, 0.25, 3, 4, 5}, b.copyValues(), 0);
        assertArrayEquals(new double[] {0, 0, 0.5, 0, 0, 0}, b.copyGradient(), 0);
        double[] room = new double[8];
        b.copyValuesInto(room, 2);
        assertArrayEquals(new double[] {0, 0, 1.5, -2, 0.25, 3, 4, 5}, room, 0);
        b.setValues(new double[] {9, 0.1, 0, 0, 0, 0, 0}, 1);
        assertEquals(0.1f, v[0], 0, "rounded to the nearest float");
        b.zeroGradient();
        assertEquals(0, g[2]);
    }

    @Test
    void renamedSharesTheStorageOfEitherPrecision() {
        ParameterBlock f = ParameterBlock.ofFloats("0_b", new int[] {2}, new float[2], new float[2]);
        ParameterBlock fr = f.renamed("decoder/0_b");
        assertEquals("decoder/0_b", fr.name());
        assertSame(f.floatValues(), fr.floatValues());
        assertSame(f.floatGradient(), fr.floatGradient());
        ParameterBlock d = new ParameterBlock("mu", new int[] {1, 2}, new double[2], new double[2]);
        ParameterBlock dr = d.renamed("gmm/mu");
        assertFalse(dr.isSinglePrecision());
        assertSame(d.values(), dr.values());
        assertArrayEquals(new int[] {1, 2}, dr.shape());
    }

    @Test
    void theOtherPrecisionsAccessorNamesTheBlockAndTheWayOut() {
        ParameterBlock f = ParameterBlock.ofFloats("1_W", new int[] {1}, new float[1], new float[1]);
        IllegalStateException e = assertThrows(IllegalStateException.class, f::values);
        assertEquals("parameter block '1_W' holds float values: values() is for double blocks (copyValuesInto / setValues / "
                + "copyGradientInto work for both)", e.getMessage());
        assertThrows(IllegalStateException.class, f::gradient);
        ParameterBlock d = new ParameterBlock("pi", new int[] {1}, new double[1], new double[1]);
        assertTrue(assertThrows(IllegalStateException.class, d::floatValues).getMessage().startsWith("parameter block 'pi' holds double"));
        assertThrows(IllegalStateException.class, d::floatGradient);
    }

    @Test
    void sizesAreChecked() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ParameterBlock.ofFloats("w", new int[] {2, 2}, new float[4], new float[3]));
        assertEquals("parameter block w of shape [2, 2] has 4 values and 3 gradient entries", e.getMessage());
        ParameterBlock b = ParameterBlock.ofFloats("w", new int[] {3}, new float[3], new float[3]);
        assertEquals("parameter block 'w' takes 3 values, got 2 from offset 1",
                assertThrows(IllegalArgumentException.class, () -> b.setValues(new double[3], 1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.copyValuesInto(new double[2], 0));
    }

    @Test
    void aCheckpointOfFloatBlocksRestoresTheSameFloats() throws IOException {
        float[] v = {1f / 3, (float) Math.PI, -1e-30f, 7};
        ParameterBlock saved = ParameterBlock.ofFloats("0_W", new int[] {4}, v.clone(), new float[4]);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TrainingCheckpoint.write(bytes, "test", 3, List.of(saved), null);
        ParameterBlock floatModel = ParameterBlock.ofFloats("0_W", new int[] {4}, new float[4], new float[4]);
        assertEquals(3, TrainingCheckpoint.read(new ByteArrayInputStream(bytes.toByteArray()), "test", List.of(floatModel), null, "mem"));
        assertArrayEquals(v, floatModel.floatValues(), 0, "floats widen to doubles and narrow back exactly");
        ParameterBlock doubleModel = new ParameterBlock("0_W", new int[] {4}, new double[4], new double[4]);
        TrainingCheckpoint.read(new ByteArrayInputStream(bytes.toByteArray()), "test", List.of(doubleModel), null, "mem");
        assertEquals((double) v[1], doubleModel.values()[1], 0, "a double model reads a float model's checkpoint");
    }
}
