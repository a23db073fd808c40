# Times R's plm on a benchmark panel: the within estimator with unit and
# year effects, and the cluster-robust (Arellano, by unit) variance with
# plm's small-sample rule. Prints one line of JSON, peak memory included.
#   Rscript plm.R panel.csv
suppressMessages({library(plm); library(data.table)})
path <- commandArgs(trailingOnly = TRUE)[1]
t0 <- proc.time()[["elapsed"]]
d <- fread(path)
t1 <- proc.time()[["elapsed"]]
m <- plm(y ~ treat + x1 + x2, data = d, index = c("unit", "year"),
         model = "within", effect = "twoways")
v <- vcovHC(m, method = "arellano", type = "sss", cluster = "group")
t2 <- proc.time()[["elapsed"]]
b <- coef(m)[c("treat", "x1", "x2")]
se <- sqrt(diag(v))[c("treat", "x1", "x2")]
status <- readLines("/proc/self/status")
hwm <- as.integer(gsub("[^0-9]", "", status[grepl("^VmHWM:", status)]))
cat(sprintf(paste0('{"rows": %d, "read_seconds": %.3f, "fit_seconds": %.3f, ',
                   '"peak_rss_kb": %d, "coef": [%s], "se": [%s]}\n'),
            nrow(d), t1 - t0, t2 - t1, hwm,
            paste(sprintf("%.17g", b), collapse = ", "),
            paste(sprintf("%.17g", se), collapse = ", ")))
