"""Writes the small panels the panel package's tests read: good.csv (two
cities, three years, taken from the synthetic twin) and one file per kind of
validation error in bad/. Run from this folder: python3 make_testdata.py"""
import csv

src = "../../../data/synthetic/panel_SYNTHETIC.csv"
with open(src, newline="") as fh:
    rows = list(csv.reader(fh))
header, body = rows[0], rows[1:]
good = [r for r in body if r[0] in ("130100", "130400") and r[1] in ("2006", "2007", "2008")]
for r in good:  # no missing cells in the base file
    for j, v in enumerate(r):
        if v == "":
            r[j] = "1"


def write(path, h, rs):
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(h)
        w.writerows(rs)


def edit(rs, line, col, value):
    """Copy of rs with the cell of file line `line` (header = 1) in column col set."""
    out = [list(r) for r in rs]
    out[line - 2][header.index(col)] = value
    return out


write("good.csv", header, good)
j = header.index("gdp_pc")
write("bad/missing_column.csv", header[:j] + header[j + 1:], [r[:j] + r[j + 1:] for r in good])
write("bad/missing_key.csv", header, edit(good, 3, "city_code", ""))
write("bad/unknown_city.csv", header, edit(good, 4, "city_code", "999999"))
write("bad/duplicate_row.csv", header, good + [good[1]])
write("bad/not_numeric.csv", header, edit(good, 5, "wage", "12,3a"))
write("bad/impossible_value.csv", header, edit(good, 6, "pop", "-5"))
write("bad/year_out_of_range.csv", header, edit(good, 7, "year", "1999"))
many = edit(good, 2, "pop", "-1")
many = edit(many, 3, "so2_pc", "n/a")
many = edit(many, 4, "city_code", "123456")
many = edit(many, 5, "green_coverage", "140")
write("bad/many_errors.csv", header, many)
