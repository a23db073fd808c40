# Reference values for a model without fixed effects (an intercept
# instead): TestPooledAgainstR in centre_test.go. Run from this folder with:
#   Rscript pooled_reference.R
# Printed with R 4.2.2, sandwich 3.0-2 (Debian bookworm).
suppressMessages(library(sandwich))
d <- read.csv("produc.csv")
d <- d[((seq_len(nrow(d)) - 1) %% 7) != 3, ]   # drop every 7th row from the 4th: unbalanced
m <- lm(log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp, data = d, weights = emp)
cat(sprintf("nobs %d rank %d r2 %.15g\n", nobs(m), m$rank, summary(m)$r.squared))
cat("coef", sprintf("%.15g", coef(m)), "\n")
# Each variance: the standard errors, then the first row (the intercept's
# covariances with every term).
show <- function(name, v) {
  cat(name, "se", sprintf("%.15g", sqrt(diag(v))), "\n")
  cat(name, "row1", sprintf("%.15g", v[1, ]), "\n")
}
show("iid", vcov(m))
show("hc1", vcovHC(m, type = "HC1"))
show("cr1_state", vcovCL(m, cluster = ~state, type = "HC1"))
show("cr0_twoway_state_year", vcovCL(m, cluster = ~state + year, type = "HC0", cadjust = FALSE))

# unemp shifted by 1e6 (spread 2e-6 of its level): lm's QR keeps it. Only
# the coefficients and the iid errors are printed: sandwich forms the
# uncentred X'X and loses digits here (its HC1 standard error of log(pcap)
# moves in the fifth digit), while the shift changes no slope and no
# slope's variance under any estimator.
d$unemp_big <- d$unemp + 1e6
s <- lm(log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp_big, data = d, weights = emp)
cat("shifted coef", sprintf("%.15g", coef(s)), "\n")
cat("shifted iid se", sprintf("%.15g", sqrt(diag(vcov(s)))), "\n")
