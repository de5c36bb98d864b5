package org.cnn4j.nn;

import org.cnn4j.backend.Conv2dSpec;

/** A module that runs a 2-D convolution: the geometry of its last forward pass says which algorithm ran (bench's breakdown). */
public interface Convolutional {
    /** The geometry of the last forward pass (null before the first). */
    Conv2dSpec lastSpec();
}
