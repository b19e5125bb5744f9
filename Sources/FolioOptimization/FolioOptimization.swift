/// FolioOptimization: portfolio optimizers on top of `FolioLinearAlgebra` — a dense convex
/// QP engine, the mean-variance family and efficient frontier, risk budgeting, hierarchical
/// methods and whole-share allocation.
