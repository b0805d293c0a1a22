#!/usr/bin/env python3
"""Cross-checks our C++ metrics, calibration and logistic regression against scikit-learn on
random inputs (with ties, imbalanced labels, several seeds).

Usage: sklearn_crosscheck.py PATH/TO/model_probe
Exits non-zero, naming the quantity and the seed, on the first disagreement.
"""
import json
import subprocess
import sys

import numpy as np
from sklearn.calibration import calibration_curve
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, brier_score_loss, log_loss, roc_auc_score
from sklearn.preprocessing import StandardScaler


def close(name, ours, theirs, seed, tol=1e-9):
    ours = np.asarray(ours, dtype=float)
    theirs = np.asarray(theirs, dtype=float)
    if ours.shape != theirs.shape or not np.allclose(ours, theirs, rtol=tol, atol=tol):
        sys.exit(f"seed {seed}: {name} differs\n ours   {ours}\n theirs {theirs}")


def case(probe, seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(50, 3000))
    rate = rng.uniform(0.02, 0.5)
    # Scores rounded to few decimals so that ties are common.
    x = rng.normal(size=(n, 4)) * np.array([1.0, 3.0, 0.5, 10.0]) + np.array([0, 2, -1, 50])
    z = 0.8 * x[:, 0] - 0.3 * x[:, 1] + 0.05 * (x[:, 3] - 50) + np.log(rate / (1 - rate))
    y = (rng.uniform(size=n) < 1 / (1 + np.exp(-z))).astype(int)
    if y.min() == y.max():
        y[0] = 1 - y[0]
    raw = 1 / (1 + np.exp(-(z + rng.normal(scale=1.5, size=n))))
    scores = np.clip(np.round(raw, int(rng.integers(2, 5))), 1e-3, 1 - 1e-3)
    queries = np.concatenate([np.linspace(-0.1, 1.1, 41), scores[:20]])
    c = float(rng.choice([0.1, 1.0, 10.0]))
    x32 = x.astype(np.float32)
    payload = {"labels": y.tolist(), "scores": scores.tolist(), "queries": queries.tolist(),
               "x": x32.ravel().tolist(), "rows": n, "cols": 4, "c": c}
    out = json.loads(subprocess.run([probe], input=json.dumps(payload), capture_output=True,
                                    text=True, check=True).stdout)

    close("roc_auc", out["roc_auc"], roc_auc_score(y, scores), seed)
    close("average_precision", out["average_precision"], average_precision_score(y, scores), seed)
    close("brier", out["brier"], brier_score_loss(y, scores), seed)
    close("log_loss", out["log_loss"], log_loss(y, scores), seed)
    for strategy in ("uniform", "quantile"):
        prob_true, prob_pred = calibration_curve(y, scores, n_bins=10, strategy=strategy)
        ours = np.array(out["reliability"][strategy]).reshape(-1, 2)
        close(f"reliability[{strategy}].mean_probability", ours[:, 0], prob_pred, seed)
        close(f"reliability[{strategy}].fraction_positive", ours[:, 1], prob_true, seed)

    iso = IsotonicRegression(out_of_bounds="clip").fit(scores, y)
    close("isotonic", out["isotonic"], iso.predict(queries), seed, tol=1e-9)

    logit = np.log(scores / (1 - scores)).reshape(-1, 1)
    platt = LogisticRegression(penalty=None, tol=1e-12, max_iter=10000).fit(logit, y)
    close("platt.a", out["platt"]["a"], platt.coef_[0][0], seed, tol=1e-5)
    close("platt.b", out["platt"]["b"], platt.intercept_[0], seed, tol=1e-5)

    xs = StandardScaler().fit_transform(x32.astype(np.float64))
    lr = LogisticRegression(C=c, tol=1e-12, max_iter=100000).fit(xs, y)
    theirs = np.concatenate([lr.intercept_, lr.coef_[0]])
    close("logistic.coefficients", out["logistic"]["coefficients"], theirs, seed, tol=1e-5)
    close("logistic.proba", out["logistic"]["proba"], lr.predict_proba(xs)[:, 1], seed, tol=1e-5)


def main():
    probe = sys.argv[1]
    for seed in range(25):
        case(probe, seed)
    print("25 random cases agree with scikit-learn")


if __name__ == "__main__":
    main()
