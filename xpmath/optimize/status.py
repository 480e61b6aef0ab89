"""Status codes shared by every optimiser, and their messages."""

RUNNING, CONVERGED, DIVERGED, LINE_SEARCH_FAILED = 0, 1, 2, 3

MESSAGES = {
    RUNNING: "maximum number of iterations reached",
    CONVERGED: "converged: stopping tolerance reached",
    DIVERGED: "diverged: non-finite or exploding value or gradient; x is the last finite iterate",
    LINE_SEARCH_FAILED: "precision loss: no step along the search direction decreased the "
    "function (tolerance may be below what the dtype can resolve)",
}
