# Reference values for TestHausmanUnbalanced in random_test.go: plm's
# phtest (within against Swamy-Arora random effects) on unbalanced panels.
# Run from this folder with: Rscript hausman_unbalanced.R
# Printed with R 4.2.2, plm 2.6-2 (Debian bookworm).
suppressMessages(library(plm))
show <- function(d, f, index) {
  p <- pdata.frame(d, index = index)
  re <- plm(f, p, model = "random", random.method = "swar")
  h <- phtest(plm(f, p, model = "within"), re)
  cat(sprintf("chi2 %.15g df %d p %.15g\n", h$statistic, h$parameter, h$p.value))
  cat("re coef", sprintf("%.15g", coef(re)), "\n")
  cat("re se", sprintf("%.15g", sqrt(diag(vcov(re)))), "\n")
}
d <- read.csv("produc.csv")
d <- d[((seq_len(nrow(d)) - 1) %% 7) != 3, ]   # drop every 7th row from the 4th
show(d, log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp, c("state", "year"))
g <- read.csv("grunfeld.csv")
g <- g[((seq_len(nrow(g)) - 1) %% 7) != 3, ]   # drop every 7th row from the 4th
show(g, inv ~ value + capital, c("firm", "year"))
# Pure noise, 12 units observed 3, 4 or 5 times (generated in Go with
# math/rand/v2 PCG seeds 3, 1; 6 decimals): the Swamy-Arora unit variance
# comes out negative and is set to 0.
z <- read.csv("re_zero_unit_variance.csv")
show(z, y ~ x, c("id", "t"))
