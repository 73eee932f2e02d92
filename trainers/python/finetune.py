#!/usr/bin/python3
"""Fine-tune a logistic-regression model on exactly one logwait batch, then commit the cursor.

The contract (docs/continual-learning.md, "A trainer outside the JVM"):

  scripts/joiner cursor next --trainer T --export DIR     # rows as Avro + DIR/manifest.json
  finetune.py --manifest DIR/manifest.json --models MODELS --model-version V [--base-model B]
      -> loads MODELS/B.pt, trains on the batch's rows, saves MODELS/V.pt and MODELS/V.json,
         then runs: scripts/joiner cursor commit --batch DIR/manifest.json --model-version V
                    --base-model B
  A crash before the commit leaves the cursor where it was: the next export holds the same rows.

Runs on Debian's Python with Debian's packages only: python3-torch, python3-numpy, python3-avro.
"""

import argparse
import json
import math
import os
import shlex
import subprocess
import sys

import avro.datafile
import avro.io
import numpy as np
import torch


def read_batch(manifest_path):
    with open(manifest_path) as f:
        manifest = json.load(f)
    if manifest.get("format") != "logwait-batch/1":
        sys.exit("finetune: %s is not a logwait batch manifest (format %r)"
                 % (manifest_path, manifest.get("format")))
    base = os.path.dirname(os.path.abspath(manifest_path))
    rows = []
    for name in manifest["files"]:
        with open(os.path.join(base, name), "rb") as f:
            reader = avro.datafile.DataFileReader(f, avro.io.DatumReader())
            rows.extend(reader)
            reader.close()
    if len(rows) != manifest["rows"]:
        sys.exit("finetune: the manifest names %d rows but its files hold %d: export the batch again"
                 % (manifest["rows"], len(rows)))
    return manifest, rows


def matrix(rows, features):
    """Features as floats; a feature a row lacks (an older feature-set version) is 0."""
    x = np.zeros((len(rows), len(features)), dtype=np.float32)
    for i, r in enumerate(rows):
        for j, name in enumerate(features):
            v = r.get(name)
            if v is not None:
                x[i, j] = float(v)
    return x


def load_base(models, version):
    path = os.path.join(models, version + ".pt")
    if not os.path.exists(path):
        sys.exit("finetune: no base model %s (looked for %s)" % (version, path))
    return torch.load(path)


def weighted_log_loss(model, x, y, w):
    with torch.no_grad():
        loss = torch.nn.functional.binary_cross_entropy_with_logits(
            model(x).squeeze(1), y, reduction="none")
        return float((loss * w).sum() / w.sum())


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--manifest", required=True, help="DIR/manifest.json of cursor next --export")
    p.add_argument("--models", required=True, help="folder of the models (V.pt, V.json)")
    p.add_argument("--model-version", required=True, help="the model this run produces")
    p.add_argument("--base-model", help="the model to fine-tune from (default: from scratch)")
    p.add_argument("--label", help="the label column to predict (default: the manifest's first)")
    p.add_argument("--epochs", type=int, default=100)
    p.add_argument("--lr", type=float, default=0.05)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--joiner", default="scripts/joiner",
                   help="the joiner's command (shell words), e.g. 'scripts/joiner'")
    p.add_argument("--config", help="the joiner's --config file")
    p.add_argument("--joiner-args", default="",
                   help="more arguments for the commit (shell words), e.g. '--set lineage.url=file:/x'")
    p.add_argument("--no-commit", action="store_true",
                   help="train and save, but leave the cursor where it is")
    a = p.parse_args()
    torch.manual_seed(a.seed)

    manifest, rows = read_batch(a.manifest)
    if not rows:
        print("finetune: the batch is empty; nothing to train on, nothing to commit")
        return 0
    label = a.label or manifest["labels"][0]
    if a.base_model:
        base = load_base(a.models, a.base_model)
        features, mean, std = base["features"], base["mean"], base["std"]
        state = base["state_dict"]
        if base["label"] != label:
            sys.exit("finetune: base model %s predicts %s, not %s" % (a.base_model, base["label"], label))
    else:
        features = manifest["features"]
        x0 = matrix(rows, features)
        # standardization fixed by the first model: fine-tunes must see the same inputs
        mean = torch.tensor(x0.mean(axis=0))
        std = torch.tensor(np.where(x0.std(axis=0) > 0, x0.std(axis=0), 1.0).astype(np.float32))
        state = None
    missing = [f for f in features if f not in {c["name"] for c in manifest["columns"]}]
    if missing:
        sys.exit("finetune: the batch lacks the model's features %s" % missing)

    x = (torch.tensor(matrix(rows, features)) - mean) / std
    y = torch.tensor([1.0 if (r.get(label) or 0) > 0 else 0.0 for r in rows])
    w = torch.tensor([float(r.get(manifest["weight"]) or 1.0) for r in rows])

    model = torch.nn.Linear(len(features), 1)
    if state is not None:
        model.load_state_dict(state)
    else:
        # from scratch: start at the batch's base rate, so the epochs learn the features
        rate = float((w * y).sum() / w.sum())
        rate = min(max(rate, 1e-6), 1 - 1e-6)
        with torch.no_grad():
            model.weight.zero_()
            model.bias.fill_(math.log(rate / (1 - rate)))
    initial = {"weights": model.weight.detach().squeeze(0).tolist(), "bias": float(model.bias.detach()[0])}
    before = weighted_log_loss(model, x, y, w)
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    for _ in range(a.epochs):
        opt.zero_grad()
        loss = torch.nn.functional.binary_cross_entropy_with_logits(
            model(x).squeeze(1), y, weight=w, reduction="sum") / w.sum()
        loss.backward()
        opt.step()
    after = weighted_log_loss(model, x, y, w)

    os.makedirs(a.models, exist_ok=True)
    torch.save({"features": features, "mean": mean, "std": std, "state_dict": model.state_dict(),
                "label": label, "base": a.base_model, "batch_id": manifest["batch_id"]},
               os.path.join(a.models, a.model_version + ".pt"))
    summary = {
        "version": a.model_version,
        "base": a.base_model,
        "label": label,
        "features": features,
        "mean": mean.tolist(),
        "std": std.tolist(),
        "weights": model.weight.detach().squeeze(0).tolist(),
        "bias": float(model.bias.detach()[0]),
        "initial": initial,
        "batch_id": manifest["batch_id"],
        "trainer": manifest["trainer"],
        "table": manifest["table"],
        "from_snapshot_exclusive": manifest["from_snapshot_exclusive"],
        "to_snapshot": manifest["to_snapshot"],
        "rows": len(rows),
        "log_loss_before": before,
        "log_loss_after": after,
    }
    with open(os.path.join(a.models, a.model_version + ".json"), "w") as f:
        json.dump(summary, f)
    # exactly the rows this model was trained on, one prediction id a line
    with open(os.path.join(a.models, a.model_version + ".ids"), "w") as f:
        f.writelines(r["prediction_id"] + "\n" for r in rows)
    print("finetune: %s from %s on %d rows of %s (batch %s): weighted log loss %.4f -> %.4f"
          % (a.model_version, a.base_model or "scratch", len(rows), manifest["table"],
             manifest["batch_id"], before, after))
    if a.no_commit:
        print("finetune: not committed (--no-commit): the cursor stays; the next export holds these rows")
        return 0
    cmd = shlex.split(a.joiner) + ["cursor", "commit", "--batch", os.path.abspath(a.manifest),
                                   "--model-version", a.model_version]
    if a.base_model:
        cmd += ["--base-model", a.base_model]
    if a.config:
        cmd += ["--config", a.config]
    cmd += shlex.split(a.joiner_args)
    done = subprocess.run(cmd)
    if done.returncode != 0:
        print("finetune: the commit was refused or failed (exit %d); model %s is saved but not"
              " recorded: read the next batch and train on it" % (done.returncode, a.model_version),
              file=sys.stderr)
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
