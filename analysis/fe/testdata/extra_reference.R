# Reference values for the weighted, unbalanced and two-way-clustered checks
# of package fe (produc_unbalanced_weighted in fit_test.go). Run from this
# folder with: Rscript extra_reference.R
# Printed with R 4.2.2, sandwich 3.0-2 (Debian bookworm).
suppressMessages(library(sandwich))
d <- read.csv("produc.csv")
d <- d[((seq_len(nrow(d)) - 1) %% 7) != 3, ]   # drop every 7th row from the 4th: unbalanced
m <- lm(log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp + factor(state) + factor(year),
        data = d, weights = emp)
k <- c("log(pcap)", "log(pc)", "log(emp)", "unemp")
se <- function(v) sqrt(diag(v))[k]
out <- rbind(
  coef = coef(m)[k],
  iid = se(vcov(m)),
  hc1 = se(vcovHC(m, type = "HC1")),
  cr1_full_state = se(vcovCL(m, cluster = ~state, type = "HC1")),
  cr0_twoway_state_year = se(vcovCL(m, cluster = ~state + year, type = "HC0", cadjust = FALSE))
)
cat(sprintf("nobs %d rank %d\n", nobs(m), m$rank))
for (r in rownames(out)) cat(r, sprintf("%.15g", out[r, ]), "\n")
