package org.cnn4j.train;

/** What one training epoch achieved; the model file keeps the list of these as its history. */
public record EpochResult(int epoch, double trainLoss, double trainAccuracy, double validationLoss, double validationAccuracy,
                          double learningRate, double seconds, double imagesPerSecond) {
}
