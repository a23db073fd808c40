package report

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"html"
	"io"
	"strings"
	"unicode/utf8"
)

// Formats lists the names Write accepts.
var Formats = []string{"markdown", "html", "latex", "csv", "text"}

// Write renders the table in format (one of Formats).
func (t *Table) Write(w io.Writer, format string) error {
	var s string
	switch format {
	case "markdown", "md":
		s = t.Markdown()
	case "html":
		s = t.HTML()
	case "latex", "tex":
		s = t.LaTeX()
	case "csv":
		s = t.CSV()
	case "text", "txt":
		s = t.Text()
	default:
		return fmt.Errorf("unknown table format %q: want one of %s", format, strings.Join(Formats, ", "))
	}
	_, err := io.WriteString(w, s)
	return err
}

func (t *Table) hasOutcome() bool {
	for _, o := range t.outcome {
		if o != "" {
			return true
		}
	}
	return false
}

// splitStars separates a coefficient cell's trailing stars.
func splitStars(s string) (string, string) {
	v := strings.TrimRight(s, "*")
	return v, s[len(v):]
}

// Markdown renders a pipe table followed by the notes.
func (t *Table) Markdown() string {
	esc := func(s string) string {
		r := strings.NewReplacer(`\`, `\\`, "|", `\|`, "*", `\*`, "_", `\_`, "<", "&lt;")
		return r.Replace(s)
	}
	label := func(s string) string {
		switch s {
		case "R2":
			return "R²"
		case "Within R2":
			return "Within R²"
		}
		return esc(s)
	}
	var b strings.Builder
	if t.title != "" {
		fmt.Fprintf(&b, "**%s**\n\n", esc(t.title))
	}
	line := func(first string, cells []string) {
		b.WriteString("| " + first + " |")
		for _, c := range cells {
			b.WriteString(" " + c + " |")
		}
		b.WriteString("\n")
	}
	hdr := make([]string, len(t.header))
	for k, h := range t.header {
		hdr[k] = esc(h)
	}
	line("", hdr)
	b.WriteString("|:---|")
	for range t.header {
		b.WriteString(":---:|")
	}
	b.WriteString("\n")
	if t.hasOutcome() {
		out := make([]string, len(t.outcome))
		for k, o := range t.outcome {
			out[k] = esc(o)
		}
		line("", out)
	}
	for _, r := range t.body {
		if r.kind == ruleRow {
			continue
		}
		cells := make([]string, len(r.cells))
		for k, c := range r.cells {
			cells[k] = esc(c)
		}
		line(label(r.label), cells)
	}
	b.WriteString("\n")
	for _, n := range t.notes {
		b.WriteString(esc(n) + "  \n")
	}
	return b.String()
}

// HTML renders a <table> with the notes in its footer.
func (t *Table) HTML() string {
	esc := html.EscapeString
	label := func(s string) string {
		switch s {
		case "R2":
			return "R<sup>2</sup>"
		case "Within R2":
			return "Within R<sup>2</sup>"
		}
		return esc(s)
	}
	var b strings.Builder
	b.WriteString("<table class=\"regression-table\">\n")
	if t.title != "" {
		fmt.Fprintf(&b, "<caption>%s</caption>\n", esc(t.title))
	}
	b.WriteString("<thead>\n<tr><th></th>")
	for _, h := range t.header {
		fmt.Fprintf(&b, "<th style=\"text-align:center\">%s</th>", esc(h))
	}
	b.WriteString("</tr>\n")
	if t.hasOutcome() {
		b.WriteString("<tr><th></th>")
		for _, o := range t.outcome {
			fmt.Fprintf(&b, "<th style=\"text-align:center\">%s</th>", esc(o))
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</thead>\n<tbody>\n")
	rule := false
	for _, r := range t.body {
		if r.kind == ruleRow {
			rule = true
			continue
		}
		if rule {
			b.WriteString("<tr style=\"border-top:1px solid\">")
			rule = false
		} else {
			b.WriteString("<tr>")
		}
		fmt.Fprintf(&b, "<td style=\"text-align:left\">%s</td>", label(r.label))
		for _, c := range r.cells {
			v, st := splitStars(c)
			if st != "" {
				st = "<sup>" + st + "</sup>"
			}
			fmt.Fprintf(&b, "<td style=\"text-align:center\">%s%s</td>", esc(v), st)
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</tbody>\n<tfoot>\n")
	for _, n := range t.notes {
		fmt.Fprintf(&b, "<tr><td colspan=\"%d\" style=\"text-align:left\">%s</td></tr>\n",
			len(t.header)+1, esc(n))
	}
	b.WriteString("</tfoot>\n</table>\n")
	return b.String()
}

// texEscape escapes the characters that LaTeX treats specially.
func texEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\':
			b.WriteString(`\textbackslash{}`)
		case '&', '%', '$', '#', '_', '{', '}':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '~':
			b.WriteString(`\textasciitilde{}`)
		case '^':
			b.WriteString(`\textasciicircum{}`)
		case '<':
			b.WriteString(`\textless{}`)
		case '>':
			b.WriteString(`\textgreater{}`)
		case '|':
			b.WriteString(`\textbar{}`)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// LaTeX renders a booktabs tabular (needs \usepackage{booktabs}) inside a
// table environment when the table has a title.
func (t *Table) LaTeX() string {
	label := func(s string) string {
		switch s {
		case "R2":
			return "$R^2$"
		case "Within R2":
			return "Within $R^2$"
		}
		return texEscape(s)
	}
	var b strings.Builder
	if t.title != "" {
		b.WriteString("\\begin{table}[htbp]\n\\centering\n")
		fmt.Fprintf(&b, "\\caption{%s}\n", texEscape(t.title))
	}
	fmt.Fprintf(&b, "\\begin{tabular}{l%s}\n\\toprule\n", strings.Repeat("c", len(t.header)))
	row := func(first string, cells []string) {
		b.WriteString(first)
		for _, c := range cells {
			b.WriteString(" & " + c)
		}
		b.WriteString(" \\\\\n")
	}
	hdr := make([]string, len(t.header))
	for k, h := range t.header {
		hdr[k] = texEscape(h)
	}
	row("", hdr)
	if t.hasOutcome() {
		out := make([]string, len(t.outcome))
		for k, o := range t.outcome {
			out[k] = texEscape(o)
		}
		row("", out)
	}
	b.WriteString("\\midrule\n")
	for _, r := range t.body {
		if r.kind == ruleRow {
			b.WriteString("\\midrule\n")
			continue
		}
		cells := make([]string, len(r.cells))
		for k, c := range r.cells {
			v, st := splitStars(c)
			cells[k] = texEscape(v)
			if st != "" {
				cells[k] += "$^{" + st + "}$"
			}
		}
		row(label(r.label), cells)
	}
	b.WriteString("\\bottomrule\n")
	for _, n := range t.notes {
		fmt.Fprintf(&b, "\\multicolumn{%d}{l}{\\footnotesize %s} \\\\\n", len(t.header)+1, texEscape(n))
	}
	b.WriteString("\\end{tabular}\n")
	if t.title != "" {
		b.WriteString("\\end{table}\n")
	}
	return b.String()
}

// CSV renders the table's cells as comma-separated values, notes last.
func (t *Table) CSV() string {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(append([]string{""}, t.header...))
	if t.hasOutcome() {
		w.Write(append([]string{""}, t.outcome...))
	}
	for _, r := range t.body {
		if r.kind == ruleRow {
			continue
		}
		w.Write(append([]string{r.label}, r.cells...))
	}
	for _, n := range t.notes {
		w.Write([]string{n})
	}
	w.Flush()
	return buf.String()
}

// Text renders the table in aligned columns for a terminal.
func (t *Table) Text() string {
	var rows [][]string
	rows = append(rows, append([]string{""}, t.header...))
	if t.hasOutcome() {
		rows = append(rows, append([]string{""}, t.outcome...))
	}
	for _, r := range t.body {
		if r.kind == ruleRow {
			rows = append(rows, nil)
			continue
		}
		rows = append(rows, append([]string{r.label}, r.cells...))
	}
	width := make([]int, len(t.header)+1)
	for _, r := range rows {
		for k, c := range r {
			width[k] = max(width[k], utf8.RuneCountInString(c))
		}
	}
	total := len(width) - 1
	for _, w := range width {
		total += w + 1
	}
	var b strings.Builder
	if t.title != "" {
		b.WriteString(t.title + "\n")
	}
	rule := strings.Repeat("-", total) + "\n"
	b.WriteString(rule)
	for i, r := range rows {
		if r == nil {
			b.WriteString(rule)
			continue
		}
		for k, c := range r {
			pad := width[k] - utf8.RuneCountInString(c)
			if k == 0 {
				b.WriteString(c + strings.Repeat(" ", pad))
			} else {
				b.WriteString("  " + strings.Repeat(" ", pad/2) + c + strings.Repeat(" ", pad-pad/2))
			}
		}
		b.WriteString("\n")
		if i == 0 && !t.hasOutcome() || i == 1 && t.hasOutcome() {
			b.WriteString(rule)
		}
	}
	b.WriteString(rule)
	for _, n := range t.notes {
		b.WriteString(n + "\n")
	}
	lines := strings.Split(b.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}
