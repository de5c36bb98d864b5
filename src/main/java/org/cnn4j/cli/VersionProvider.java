package org.cnn4j.cli;

import picocli.CommandLine.IVersionProvider;

/** Reads the version from the jar manifest (or says "development" when run from classes). */
final class VersionProvider implements IVersionProvider {
    static String version() {
        String v = VersionProvider.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT (development)" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"cnn4j " + version()};
    }
}
