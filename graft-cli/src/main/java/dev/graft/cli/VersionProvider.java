package dev.graft.cli;

import dev.graft.provenance.Provenance;
import picocli.CommandLine;

/** Graft's version and the engine versions it was built with. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {
            "graft " + Provenance.version("graft.version"),
            "DJL " + Provenance.version("djl.version") + ", PyTorch " + Provenance.version("pytorch.version"),
        };
    }
}
