#!/usr/bin/env bash
# Does pretraining pay when labelled data is scarce? The lecture's two transfer routes, measured on the
# full Fashion-MNIST (Debian's dataset-fashion-mnist) with the CLI alone:
#   other-classes: pretrain fmnist-cnn on classes 0-4 (30,000 images), fine-tune on 1,000 images of 5-9;
#   simulated:     pretrain on 40,000 simulated shapes, fine-tune on 1,000 real images of all 10 classes;
# each against the same network trained from scratch on the same 1,000 images, same epochs and seeds.
# Prints one line per seed and route; the accuracies are on every test image of the target classes.
# Usage: experiments/transfer.sh [OUT_DIR]   (SEEDS="1 2 3" by default; about 12 minutes on 2 cores)
set -euo pipefail
cnn4j="$(cd "$(dirname "$0")/.." && pwd)/cnn4j"
out="${1:-transfer-out}"
seeds="${SEEDS:-1 2 3}"
mkdir -p "$out"
common=(--data --train-limit 1000 --epochs 10 --no-progress)
accuracy() { grep -oP 'final test metrics: .*accuracy \K[0-9.]+%'; }

"$cnn4j" train --model fmnist-cnn --data --classes 0,1,2,3,4 --epochs 3 --seed 1 --no-progress --out "$out/other-classes.cnn4j" >/dev/null
for s in $seeds; do
  ft=$("$cnn4j" finetune --from "$out/other-classes.cnn4j" --classes 5,6,7,8,9 "${common[@]}" --seed "$s" --out "$out/ft-$s.cnn4j" | accuracy)
  sc=$("$cnn4j" train --model fmnist-cnn --classes 5,6,7,8,9 "${common[@]}" --seed "$s" --out "$out/scratch5-$s.cnn4j" | accuracy)
  echo "other-classes seed $s: fine-tuned $ft, from scratch $sc"
done

rm -rf "$out/shapes"
"$cnn4j" simulate --kind shapes --count 40000 --seed 1 --out "$out/shapes" >/dev/null
"$cnn4j" train --model fmnist-cnn --data "$out/shapes" --epochs 3 --seed 1 --no-progress --out "$out/shapes.cnn4j" >/dev/null
for s in $seeds; do
  ft=$("$cnn4j" finetune --from "$out/shapes.cnn4j" --new-head "${common[@]}" --seed "$s" --out "$out/sim-$s.cnn4j" | accuracy)
  sc=$("$cnn4j" train --model fmnist-cnn "${common[@]}" --seed "$s" --out "$out/scratch10-$s.cnn4j" | accuracy)
  echo "simulated seed $s: fine-tuned $ft, from scratch $sc"
done
