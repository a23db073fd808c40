#!/usr/bin/env python3
"""Reference values for the psm package tests, computed on lalonde.csv.

Run from this folder with Debian's python3-statsmodels (0.13.5):

    python3 reference.py > lalonde_reference.json

The logit is fitted by statsmodels (Newton's method, tolerance 1e-14). The
matching is re-implemented here independently of the Go code: a brute-force
search over all available controls for each treated unit, choosing by the
key (|score difference|, lower-score side first, distance in the sorted
order), which is MatchIt's nearest-neighbour rule stated as a minimum
instead of a walk outwards from the treated unit. Weights, balance and the
ATT follow MatchIt's formulas; the ATT standard errors come from statsmodels
WLS (cluster-robust by pair with its default small-sample correction, or
HC1).
"""
import json

import numpy as np
import pandas as pd
import statsmodels.api as sm

d = pd.read_csv("lalonde.csv")
treat = d["treat"].to_numpy().astype(float)
n = len(d)

# Model matrix as R's model.matrix: race levels sorted, "black" the reference.
X = pd.DataFrame({
    "(Intercept)": 1.0,
    "age": d["age"], "educ": d["educ"],
    "racehispan": (d["race"] == "hispan").astype(float),
    "racewhite": (d["race"] == "white").astype(float),
    "married": d["married"], "nodegree": d["nodegree"],
    "re74": d["re74"], "re75": d["re75"],
})
fit = sm.Logit(treat, X).fit(method="newton", tol=1e-14, maxiter=100, disp=0)
ps = fit.predict(X).to_numpy()

# Balance columns as MatchIt's summary: score first, every race level.
bal = pd.DataFrame({
    "distance": ps, "age": d["age"], "educ": d["educ"],
    "raceblack": (d["race"] == "black").astype(float),
    "racehispan": X["racehispan"], "racewhite": X["racewhite"],
    "married": d["married"], "nodegree": d["nodegree"],
    "re74": d["re74"], "re75": d["re75"],
})


def match(ratio, replace, caliper):
    pos = np.argsort(ps, kind="stable")
    at = np.empty(n, dtype=int)
    at[pos] = np.arange(n)
    tr = [i for i in range(n) if treat[i] == 1]
    tr.sort(key=lambda i: -ps[i])  # stable: ties stay in data order
    avail = treat == 0
    matches = {t: [] for t in tr}
    stopped = set()
    for _ in range(ratio):
        for t in tr:
            if t in stopped:
                continue
            best, key = None, None
            for c in range(n):
                if not avail[c] or c in matches[t]:
                    continue
                dist = abs(ps[c] - ps[t])
                if caliper is not None and dist > caliper:
                    continue
                k = (dist, 0 if at[c] < at[t] else 1, abs(at[c] - at[t]))
                if key is None or k < key:
                    best, key = c, k
            if best is None:
                stopped.add(t)
                continue
            matches[t].append(best)
            if not replace:
                avail[best] = False
    w = np.zeros(n)
    for t, ms in matches.items():
        if ms:
            w[t] = 1
            for c in ms:
                w[c] += 1 / len(ms)
    c0 = (treat == 0) & (w > 0)
    w[treat == 0] /= w[c0].mean()
    sub = np.zeros(n, dtype=int)
    s = 0
    for t in sorted(matches):
        if matches[t]:
            s += 1
            sub[t] = s
            for c in matches[t]:
                sub[c] = s
    return matches, w, sub


def wvar(x, w, binary):
    w = w / w.sum()
    m = (w * x).sum()
    if binary:
        return m * (1 - m)
    return (w * (x - m) ** 2).sum() / (1 - (w ** 2).sum())


def balance(w):
    rows = []
    t1, t0 = treat == 1, treat == 0
    for name in bal.columns:
        x = bal[name].to_numpy().astype(float)
        binary = bool(np.all((x == 0) | (x == 1)))
        sd = np.sqrt(wvar(x[t1], np.ones(t1.sum()), binary))
        row = {"term": name}
        for tag, ww in (("before", np.ones(n)), ("after", w)):
            a1, a0 = t1 & (ww > 0), t0 & (ww > 0)
            m1 = np.average(x[a1], weights=ww[a1])
            m0 = np.average(x[a0], weights=ww[a0])
            row["mean_treated_" + tag] = m1
            row["mean_control_" + tag] = m0
            row["smd_" + tag] = (m1 - m0) / sd
            row["var_ratio_" + tag] = (None if binary else
                                       wvar(x[a1], ww[a1], False) / wvar(x[a0], ww[a0], False))
        rows.append(row)
    return rows


def att(w, sub, replace):
    keep = w > 0
    y = d["re78"].to_numpy()[keep]
    Z = sm.add_constant(treat[keep])
    m = sm.WLS(y, Z, weights=w[keep])
    if replace:
        r = m.fit(cov_type="HC1")
    else:
        r = m.fit(cov_type="cluster", cov_kwds={"groups": sub[keep]})
    return {"estimate": r.params[1], "se": r.bse[1]}


cases = [
    ("nearest_1to1", 1, False, None, None),
    ("nearest_2to1_caliper", 2, False, 0.1, "sd"),
    ("replace_1to1", 1, True, None, None),
    ("replace_3to1_caliper_raw", 3, True, 0.005, "raw"),
]
out = {
    "logit": {"terms": list(X.columns), "coef": list(fit.params), "se": list(fit.bse),
              "deviance": -2 * fit.llf},
    "cases": [],
}
for name, ratio, replace, cal, scale in cases:
    width = None
    if cal is not None:
        width = cal * np.std(ps, ddof=1) if scale == "sd" else cal
    matches, w, sub = match(ratio, replace, width)
    out["cases"].append({
        "name": name, "ratio": ratio, "replace": replace, "caliper": cal,
        "caliper_scale": scale, "caliper_width": width,
        "matches": {str(t): ms for t, ms in sorted(matches.items())},
        "weights": list(w),
        "balance": balance(w),
        "att": att(w, sub, replace),
    })


def clean(o):
    if isinstance(o, dict):
        return {k: clean(v) for k, v in o.items()}
    if isinstance(o, list):
        return [clean(v) for v in o]
    if isinstance(o, (np.integer,)):
        return int(o)
    if isinstance(o, (np.floating,)):
        return float(o)
    return o


print(json.dumps(clean(out), indent=1))
