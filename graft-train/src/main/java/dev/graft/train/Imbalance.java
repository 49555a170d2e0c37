package dev.graft.train;

/** How training compensates for classes with fewer samples. */
public enum Imbalance {
    /** Nothing. */
    NONE,
    /** Loss weights N / (K · n_c), so every class weighs the same in total. */
    CLASS_WEIGHTS,
    /** Minority-class samples repeated at random until every class has as many as the largest. */
    OVERSAMPLE,
    /** SMOTE (Chawla et al. 2002): new minority samples interpolated towards same-class neighbours. */
    SMOTE
}
