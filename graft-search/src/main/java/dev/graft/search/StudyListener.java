package dev.graft.search;

/** Hears every change of a study, in order, while the study's lock is held. */
public interface StudyListener {
    void asked(Trial trial);

    void reported(Trial trial, double value);

    void told(Trial trial);
}
