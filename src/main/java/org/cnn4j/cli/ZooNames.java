package org.cnn4j.cli;

import java.util.Iterator;
import org.cnn4j.zoo.Zoo;

/** The zoo's model names, for picocli's help text and shell completion of {@code --model}. */
final class ZooNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
        return Zoo.models().keySet().iterator();
    }
}
