package org.hybridbench.api.workbench;

/**
 * One thing wrong with a pipeline file, located precisely enough to fix it.
 *
 * @param file the pipeline file
 * @param jsonPath where in the file, e.g. {@code $.stages.gmm.config.components}
 * @param message what was expected and what was found
 */
public record ValidationProblem(String file, String jsonPath, String message) {
    @Override
    public String toString() {
        return file + ": " + jsonPath + ": " + message;
    }
}
