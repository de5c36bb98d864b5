package org.cnn4j.backend.cpu;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Puts back, after each test of a class that changes it, the native thread count the test found. */
final class RestoresNativeThreads implements BeforeEachCallback, AfterEachCallback {
    private int before;

    @Override
    public void beforeEach(ExtensionContext context) {
        before = NativeLibrary.isLoaded() ? NativeLibrary.threads() : 0;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (before > 0) {
            NativeLibrary.useThreads(before);
        }
    }
}
