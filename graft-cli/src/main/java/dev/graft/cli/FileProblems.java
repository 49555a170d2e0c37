package dev.graft.cli;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Map;

/** One line for a file system error: the path and the problem in words, without the Java class. */
final class FileProblems {
    private static final Map<Class<? extends FileSystemException>, String> WORDS = Map.of(
            AccessDeniedException.class, "permission denied",
            NoSuchFileException.class, "no such file or folder",
            NotDirectoryException.class, "not a folder",
            FileAlreadyExistsException.class, "already exists (or a part of the path is a file)",
            DirectoryNotEmptyException.class, "folder not empty",
            FileSystemLoopException.class, "the path loops through links");

    private FileProblems() {}

    static String describe(FileSystemException e) {
        String problem = WORDS.get(e.getClass());
        if (problem == null) {
            problem = e.getReason() != null ? e.getReason() : "cannot be read or written";
        }
        String file = e.getFile() != null ? e.getFile() : "a file";
        return file + (e.getOtherFile() != null ? " -> " + e.getOtherFile() : "") + ": " + problem;
    }
}
