"""Reference values for ATT(g,t) on mpdta beyond the published table.

Computes the unconditional ATT(g,t) with never-treated and not-yet-treated
comparison units and a varying or universal base period, and ATT(g,t) of Callaway and Sant'Anna (2021) for lemp with the
covariate lpop (never-treated comparison units, varying base period) by the
outcome-regression, standardised IPW and doubly robust estimators of
Sant'Anna and Zhao (2020), with their influence-function standard errors,
the way the R packages did/DRDID define them (propensity scores capped at
1-1e-6, comparison units with a score of 0.995 or more trimmed).

The nuisance fits come from statsmodels (Logit by Newton with a tight
tolerance, OLS), independently of the Go code; the estimator and influence
function formulas are written out from the paper. Run with Debian's
python3 (statsmodels 0.13.5, numpy):

    /usr/bin/python3 drdid_reference.py > drdid_reference.csv
"""
import csv
import sys

import numpy as np
import statsmodels.api as sm

rows = list(csv.DictReader(open("mpdta.csv")))
units = sorted({int(r["countyreal"]) for r in rows})
years = sorted({int(r["year"]) for r in rows})
uidx = {u: i for i, u in enumerate(units)}
tidx = {t: s for s, t in enumerate(years)}
N, T = len(units), len(years)
Y = np.zeros((N, T))
X = np.zeros((N, T))
G = np.zeros(N, dtype=int)
for r in rows:
    i, s = uidx[int(r["countyreal"])], tidx[int(r["year"])]
    Y[i, s] = float(r["lemp"])
    X[i, s] = float(r["lpop"])
    G[i] = int(r["first.treat"])


def logit(D, Z):
    fit = sm.Logit(D, Z).fit(method="newton", tol=1e-14, maxiter=200, disp=0)
    ps = np.minimum(fit.predict(Z), 1 - 1e-6)
    return ps


def ols(y, Z):
    return sm.OLS(y, Z).fit().params


def estimate(method, dy, D, Z):
    n = len(dy)
    if method in ("ipw", "dr"):
        ps = logit(D, Z)
        W = ps * (1 - ps)
        trim = np.where(D == 1, 1.0, (ps < 0.995).astype(float))
        w_t = trim * D
        w_c = trim * ps * (1 - D) / (1 - ps)
        Hps = np.linalg.inv(Z.T @ (W[:, None] * Z)) * n
        asy_ps = ((D - ps)[:, None] * Z) @ Hps
    if method in ("reg", "dr"):
        b = ols(dy[D == 0], Z[D == 0])
        out = Z @ b
        XpX = (Z[D == 0].T @ Z[D == 0]) / n
        asy_ols = (((1 - D) * (dy - out))[:, None] * Z) @ np.linalg.inv(XpX)
    if method == "reg":
        att_t = np.mean(D * dy) / np.mean(D)
        att_c = np.mean(D * out) / np.mean(D)
        inf_t = (D * dy - D * att_t) / np.mean(D)
        M1 = np.mean(D[:, None] * Z, axis=0)
        inf_c = (D * out - D * att_c + asy_ols @ M1) / np.mean(D)
        return att_t - att_c, inf_t - inf_c
    if method == "ipw":
        e_t = np.mean(w_t * dy) / np.mean(w_t)
        e_c = np.mean(w_c * dy) / np.mean(w_c)
        inf_t = (w_t * dy - w_t * e_t) / np.mean(w_t)
        M2 = np.mean((w_c * (dy - e_c))[:, None] * Z, axis=0)
        inf_c = (w_c * dy - w_c * e_c + asy_ps @ M2) / np.mean(w_c)
        return e_t - e_c, inf_t - inf_c
    r = dy - out
    e_t = np.mean(w_t * r) / np.mean(w_t)
    e_c = np.mean(w_c * r) / np.mean(w_c)
    M1 = np.mean(w_t[:, None] * Z, axis=0)
    M2 = np.mean((w_c * (r - e_c))[:, None] * Z, axis=0)
    M3 = np.mean(w_c[:, None] * Z, axis=0)
    inf_t = (w_t * (r - e_t) - asy_ols @ M1) / np.mean(w_t)
    inf_c = (w_c * (r - e_c) + asy_ps @ M2 - asy_ols @ M3) / np.mean(w_c)
    return e_t - e_c, inf_t - inf_c


out = csv.writer(sys.stdout, lineterminator="\n")
out.writerow(["method", "control", "base", "group", "time", "att", "se"])

# Unconditional ATT(g,t) under each comparison group and base period: the
# difference of mean changes, influence function N(dy - m1)/n1 for treated
# and -N(dy - m0)/n0 for comparison units.
for control in ("never", "notyet"):
    for basep in ("varying", "universal"):
        for g in sorted(set(G[G > 0])):
            pre = max(s for s, t in enumerate(years) if t < g)
            for s in range(0 if basep == "universal" else 1, T):
                if basep == "universal" or years[s] >= g:
                    base = pre
                else:
                    base = s - 1
                if base == s:
                    out.writerow(["none", control, basep, g, years[s], 0.0, 0.0])
                    continue
                ctrl = G == 0
                if control == "notyet":
                    cut = max(years[s], years[base])
                    ctrl = ctrl | ((G > cut) & (G != g))
                dy = Y[:, s] - Y[:, base]
                m1, m0 = dy[G == g].mean(), dy[ctrl].mean()
                n1, n0 = (G == g).sum(), ctrl.sum()
                inf = np.concatenate([N * (dy[G == g] - m1) / n1, -N * (dy[ctrl] - m0) / n0])
                se = np.sqrt(np.sum(inf ** 2)) / N
                out.writerow(["none", control, basep, g, years[s], repr(float(m1 - m0)),
                              repr(float(se))])

for method in ("reg", "ipw", "dr"):
    for g in sorted(set(G[G > 0])):
        pre = max(s for s, t in enumerate(years) if t < g)
        for s in range(1, T):
            base = pre if years[s] >= g else s - 1
            keep = (G == g) | (G == 0)
            D = (G[keep] == g).astype(float)
            dy = Y[keep, s] - Y[keep, base]
            Z = np.column_stack([np.ones(keep.sum()), X[keep, min(base, s)]])
            att, inf = estimate(method, dy, D, Z)
            # did rescales the 2x2 influence function by N/n_sub; the
            # standard error is then sqrt(mean(inf^2)/N) over all N units.
            full = inf * N / keep.sum()
            se = np.sqrt(np.sum(full ** 2)) / N
            out.writerow([method, "never", "varying", g, years[s], repr(float(att)),
                          repr(float(se))])
