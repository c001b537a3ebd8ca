package org.hybridbench.convnet;

/**
 * A {@link Layer} that also takes and gives float rows: a float network whose layers all are keeps its activations in
 * float between them (see {@link ExternalErrorNetwork}), so a row is converted once on the way in and once on the way out
 * instead of at every GEMM. Dense layers are; the convolutions reorder while converting, so they stay on doubles.
 */
interface FloatRowLayer {

    /** {@link Layer#forward(double[], int)} on float rows. */
    float[] forward(float[] x, int rows);

    /** {@link Layer#backward(double[], int, boolean)} on float rows. */
    float[] backward(float[] dy, int rows, boolean wantInputGradient);
}
