package dev.graft.search;

/** Hears every change of a study, in order, while the study's lock is held. */
public interface StudyListener {
    void asked(Trial trial);

    /**
     * A trial was asked to run again the point of trial {@code interrupted}, which was running
     * when the search it came from was killed (a resumed journal). It has a new number: numbers
     * are never reused.
     */
    default void askedAgain(Trial trial, int interrupted) {
        asked(trial);
    }

    void reported(Trial trial, double value);

    void told(Trial trial);
}
