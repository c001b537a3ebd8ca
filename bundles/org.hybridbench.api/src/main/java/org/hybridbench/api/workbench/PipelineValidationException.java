package org.hybridbench.api.workbench;

import java.util.List;
import java.util.stream.Collectors;

/** A pipeline that cannot run; carries every problem found, not just the first. */
public class PipelineValidationException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient List<ValidationProblem> problems;

    public PipelineValidationException(List<ValidationProblem> problems) {
        super(problems.size() == 1 ? problems.get(0).toString()
                : problems.size() + " problems:\n" + problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<ValidationProblem> problems() {
        return problems;
    }
}
