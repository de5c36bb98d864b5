#!/usr/bin/env python3
"""How much of a training step runs in Java rather than in native kernels, from a JFR recording of
`cnn4j train` made with Java and native method samples at the same period:

    CNN4J_JAVA_OPTS="-Xmx4g -XX:StartFlightRecording:filename=train.jfr,settings=profile,method-profiling=normal" \\
        ./cnn4j --threads 2 train --model fmnist-cnn --data --epochs 1 --train-limit 25600 --no-progress
    python3 benchmarks/java_share.py train.jfr

Counts the main thread's samples whose stack passes through Trainer.step: jdk.ExecutionSample (the
thread was running Java code) against jdk.NativeMethodSample (it was inside a JNI call, i.e. a native
kernel; the kernels' OpenMP workers are not Java threads and are not sampled). Prints the Java share
and the Java frames it was in most often. Needs the JDK's `jfr` tool (JAVA_HOME/bin/jfr, on PATH, or next to `java`).
"""
import collections
import json
import os
import shutil
import subprocess
import sys


def samples(jfr_tool, recording, event):
    out = subprocess.run([jfr_tool, "print", "--json", "--stack-depth", "64", "--events", event, recording],
                         check=True, capture_output=True, text=True).stdout
    for e in json.loads(out)["recording"]["events"]:
        v = e["values"]
        if (v.get("sampledThread") or {}).get("javaName") != "main" or not v.get("stackTrace"):
            continue
        frames = [f["method"]["type"]["name"].replace("/", ".") + "." + f["method"]["name"] for f in v["stackTrace"]["frames"]]
        if any(f.endswith("Trainer.step") for f in frames):
            yield frames[0]


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    java_on_path = shutil.which("java")
    candidates = [os.path.join(os.environ.get("JAVA_HOME", ""), "bin", "jfr"), shutil.which("jfr") or "",
                  os.path.join(os.path.dirname(os.path.realpath(java_on_path)), "jfr") if java_on_path else ""]
    jfr_tool = next((c for c in candidates if c and os.path.exists(c)), None) or sys.exit(
        "java_share: cannot find the JDK's jfr tool (set JAVA_HOME)")
    java = collections.Counter(samples(jfr_tool, sys.argv[1], "jdk.ExecutionSample"))
    native = sum(1 for _ in samples(jfr_tool, sys.argv[1], "jdk.NativeMethodSample"))
    total = sum(java.values()) + native
    if total == 0:
        sys.exit("java_share: no samples of the main thread inside Trainer.step (was it a training run?)")
    print(f"Trainer.step: {total} samples, {native} in native code, {sum(java.values())} in Java "
          f"({100 * sum(java.values()) / total:.1f}%)")
    for frame, n in java.most_common(8):
        print(f"  {n:5d}  {frame}")


if __name__ == "__main__":
    main()
