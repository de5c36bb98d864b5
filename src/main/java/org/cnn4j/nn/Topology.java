package org.cnn4j.nn;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A graph's static structure as arrays, worked out once when the graph is built: the value slots
 * (slot 0 is the graph's input, slot i + 1 node i's output), each node's input slots, the output slot,
 * and for each slot the last node that reads it.
 */
final class Topology {
    final String[] names;
    final Module[] modules;
    final int[][] inputs;
    final int output;
    final int[] lastReader; // node index; -1 when nothing reads the slot
    private final Map<String, Integer> slots = new HashMap<>();

    Topology(String inputName, List<Graph.Node> nodes, String outputName) {
        int n = nodes.size();
        names = new String[n + 1];
        modules = new Module[n];
        inputs = new int[n][];
        lastReader = new int[n + 1];
        Arrays.fill(lastReader, -1);
        names[0] = inputName;
        slots.put(inputName, 0);
        for (int i = 0; i < n; i++) {
            Graph.Node node = nodes.get(i);
            names[i + 1] = node.name();
            modules[i] = node.module();
            inputs[i] = node.inputs().stream().mapToInt(slots::get).toArray();
            for (int s : inputs[i]) {
                lastReader[s] = i;
            }
            slots.put(node.name(), i + 1);
        }
        output = slots.get(outputName);
    }

    int nodes() {
        return modules.length;
    }

    /** The slot of node (or input) {@code name}, or -1. */
    int slot(String name) {
        return slots.getOrDefault(name, -1);
    }

    /** Which nodes compute what {@code target} reads, {@code target}'s own included. */
    boolean[] ancestors(int target) {
        boolean[] needed = new boolean[names.length];
        needed[target] = true;
        for (int i = nodes() - 1; i >= 0; i--) {
            if (needed[i + 1]) {
                for (int s : inputs[i]) {
                    needed[s] = true;
                }
            }
        }
        return needed;
    }
}
