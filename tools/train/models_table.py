#!/usr/bin/env python3
"""Prints the Markdown table of models/README.md from models/*.json (run from the repository root:
`python3 tools/train/models_table.py models`). The int8 columns are left for `edgeq eval` results."""
import glob
import json
import os
import sys


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else "models"
    print("| model | arch | float top-1 (10k test) | int8 top-1 | params | MACs | ONNX bytes | .eqm int8 bytes "
          "| epochs | s/epoch fastest / mean (device, threads) |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for path in sorted(glob.glob(os.path.join(folder, "*.json"))):
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        if doc.get("format") != "edgeq-train-model":
            continue
        t = doc["training"]
        eqm = os.path.join(folder, doc["model_name"] + ".eqm")
        eqm_bytes = f"{os.path.getsize(eqm):,}" if os.path.exists(eqm) else ""
        per_epoch = t["duration_s"] / t["epochs"]
        fastest = min(t["epoch_seconds"])
        print(f"| {doc['model_name']} | {doc['arch']} | {100 * doc['float_test_accuracy']:.2f} % | "
              f"| {doc['params']:,} | {doc['macs']:,} | {doc['onnx_bytes']:,} | {eqm_bytes} | {t['epochs']} | "
              f"{fastest:.0f} / {per_epoch:.0f} ({t['device']}, {t['cpu_threads']}) |")


if __name__ == "__main__":
    main()
