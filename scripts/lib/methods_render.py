"""Renders the summary of methods_report.py: the verdict sentences, docs/results.md and its
two SVG figures. Every number comes from the summary; the formatters below are the only
way a number reaches the document (tests/methods/check_results.py uses them too)."""

NAMES = {"aebnas": "AEBNAS", "edanas": "EDANAS-like", "nachos": "NACHOS-like",
         "sdn": "SDN-like", "random": "random search", "searched": "searched branches"}
HEAD_NAMES = {"searched": "searched branches", "edanas": "EDANAS head",
              "nachos": "NACHOS head", "sdn": "SDN head"}
COLORS = {"aebnas": "#d62728", "edanas": "#1f77b4", "nachos": "#2ca02c", "sdn": "#9467bd",
          "random": "#7f7f7f", "searched": "#d62728"}


def pct(x):
    return "–" if x is None else f"{100 * x:.2f}"


def hv(x):
    return "–" if x is None else f"{x:.4f}"


def ratio(x):
    return "–" if x is None else f"{x:.3f}"


def points(x):
    return "–" if x is None else f"{100 * x:+.2f}"


def pval(p):
    return f"{p:.3g}"


def macs(x):
    for unit, scale in (("M", 1e6), ("k", 1e3)):
        if x >= scale:
            return f"{x / scale:g}{unit}"
    return f"{x:g}"


def ci(c, fmt):
    return "–" if not c else f"[{fmt(c[0])}, {fmt(c[1])}]"


def head_word(c, alpha):
    """The verdict of one head comparison at level `alpha`."""
    if c["p"] >= alpha:
        return "no significant difference"
    return "searched better" if c["mean_difference"] > 0 else "fixed head better"


def comparison_table(comparisons):
    """The searched − fixed table of a head comparison, as Markdown lines."""
    lines = ["| fixed head | backbones | searched − fixed, points (95 % CI) | "
             "searched better / worse | Wilcoxon p |", "|---|---|---|---|---|"]
    for k, c in comparisons.items():
        lines.append(f"| {HEAD_NAMES[k]} | {c['n']} | {points(c['mean_difference'])} "
                     f"{ci(c['ci'], points)} | {c['wins']} / {c['losses']} | {pval(c['p'])} |")
    return lines


def verdicts(s):
    out = []
    seeds = len(s["budget"]["seeds"])
    for m, r in s["ratios_to_random"].items():
        if r["ratio"] is None:
            continue
        if r["significant"]:
            word = "higher" if r["ci"][0] > 1 else "lower"
            tail = f"significantly {word} than random search at {r['n']} seeds"
        else:
            tail = f"not significant at {r['n']} seeds"
        out.append(f"{NAMES[m]} vs random search: HV ratio {ratio(r['ratio'])}, 95 % CI "
                   f"{ci(r['ci'], ratio)}, {tail}.")
    heads = s["heads"]["comparisons"]
    better = []
    for h, c in heads.items():
        if c["mean_difference"] is None:
            out.append(f"Searched branches vs the {HEAD_NAMES[h]}: no backbone where both "
                       "curves reach a common MAC point.")
            continue
        if c["p"] < s["alpha"] and c["mean_difference"] > 0:
            better.append(h)
        word = head_word(c, s["alpha"])
        out.append(f"Searched branches vs the {HEAD_NAMES[h]}: {points(c['mean_difference'])} "
                   f"points of test accuracy under the same avg-MAC budgets (95 % CI "
                   f"{ci(c['ci'], points)}), Wilcoxon p = {pval(c['p'])} over {c['n']} "
                   f"backbones: {word}.")
    if heads:
        if len(better) == len(heads):
            claim = "holds here: the searched branches beat every fixed head"
        elif better:
            names = ", ".join(HEAD_NAMES[h] for h in better)
            claim = f"holds only in part here: the searched branches beat the {names}"
        else:
            claim = "is not shown here: the searched branches beat no fixed head significantly"
        out.append(f"The paper's claim (searched exit branches give better networks at the "
                   f"same average MACs) {claim} (α = {s['alpha']}).")
    hb = s.get("heads_budget")
    if hb:
        for h, c in hb["comparisons"].items():
            if c["mean_difference"] is None:
                continue
            word = head_word(c, s["alpha"])
            out.append(f"With heads trained {hb['epochs']} epoch on {hb['train_samples']} "
                       f"images, searched branches vs the {HEAD_NAMES[h]}: "
                       f"{points(c['mean_difference'])} points (95 % CI {ci(c['ci'], points)}), "
                       f"Wilcoxon p = {pval(c['p'])}: {word}.")
    for b, r in s["rules"].items():
        d = r["difference"]
        if d["difference"] is None:
            continue
        word = ("AEBNAS's rule better" if d["difference"] > 0 else "own rule better") \
            if d["significant"] else f"not significant at {d['n']} seeds"
        out.append(f"{NAMES[b]} with AEBNAS's threshold rule instead of its own: HV "
                   f"{'+' if d['difference'] >= 0 else ''}{hv(d['difference'])}, 95 % CI "
                   f"{ci(d['ci'], hv)}, {word}.")
    if seeds < 10:
        out.append(f"With {seeds} seeds only large effects reach significance; a "
                   "non-significant result is not evidence of equality.")
    return out


def provenance(s):
    """Which build made the runs: one commit, or a range with the rerun check's outcome."""
    b = s["budget"]
    start = b.get("commit_start", b["commit"])
    if start == b["commit"]:
        return f"at commit `{b['commit']}`"
    text = f"with builds from commit `{start}` to `{b['commit']}`"
    check = s.get("rerun_check")
    if check:
        outcome = ("every candidate identical" if check["all_identical"]
                   else f"{check['identical']} of {check['candidates']} candidates identical")
        text += (f" (run `{check['run']}` repeated at `{check['commit']}`: {outcome}, "
                 "`rerun-check.json`)")
    return text


def markdown(s, raw_rel):
    b = s["budget"]
    t = s["mac_target"]
    evals = b["doe"] + b["iterations"] * b["per_iter"]
    minutes = s["run_seconds"] / 60
    lines = [
        "# Five methods, one cost model, one data split",
        "",
        f"Generated by `scripts/methods-table` on {b['date']} {provenance(s)} "
        f"({b['cores']} CPU cores, burn CPU backend) from the raw files in "
        f"[`{raw_rel}`]({raw_rel}); the runs took {minutes:.0f} minutes "
        f"({s['run_seconds']} s of run time).",
        "",
        f"**Budget.** {b['dataset']} shipped subset, shipped pre-trained supernet, MAC target "
        f"{macs(t)}, {len(b['seeds'])} seeds ({', '.join(map(str, b['seeds']))}); every run "
        f"evaluates {evals} networks ({b['doe']} random, then {b['iterations']} × "
        f"{b['per_iter']} proposals), each inheriting its backbone and training its exit "
        f"heads for {b['epochs']} epoch on {b['train_samples']} images; {b['jobs']} "
        "evaluations side by side.",
        "",
        "**Validation chooses, test reports.** A run's front is its non-dominated candidates "
        "on validation (error, avg MACs); the hypervolume (HV) scores their *test* figures "
        "with one reference point for every run, error "
        f"{s['reference']['error']:g} and {s['reference']['macs_in_targets']:g} × the "
        "target avg MACs (MACs divided by that, so HV lies in [0, 1]). "
        "acc@T is the test accuracy of the network the run chose on validation (best "
        "validation accuracy with validation avg MACs ≤ T). Intervals are 95 % t intervals "
        "over seeds; ratios and differences use a paired bootstrap over seeds (or "
        "backbones).",
        "",
        "## Verdicts",
        "",
    ] + [f"- {v}" for v in s["verdicts"]] + ["", "## Search quality", ""]
    head = ["method", "runs", "evaluations", "HV (95 % CI)", "HV / random (95 % CI)"] + \
        [f"acc@{macs(f * t)} %" for f in s["target_factors"]]
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for m, r in s["methods"].items():
        rr = s["ratios_to_random"].get(m)
        accs = []
        for f in s["target_factors"]:
            a = r["accuracy_at"][str(f)]
            cell = f"{pct(a['mean'])} {ci(a['ci'], pct)}" if a["mean"] is not None else "–"
            if a["missing"]:
                cell += f" ({a['missing']} without)"
            accs.append(cell)
        row = [NAMES[m], str(len(r["seeds"])),
               f"{min(r['evaluations'])}–{max(r['evaluations'])}",
               f"{hv(r['hv']['mean'])} {ci(r['hv']['ci'], hv)}",
               f"{ratio(rr['ratio'])} {ci(rr['ci'], ratio)}" if rr else "1 (reference)"] + accs
        lines.append("| " + " | ".join(row) + " |")
    lines += ["", "![HV of the validation-chosen front, test-scored, against the number of "
              "evaluated networks: mean over seeds with 95 % band](results/anytime.svg)", ""]
    if s["rules"]:
        lines += ["## Threshold rule: each baseline's own vs AEBNAS's", "",
                  "The same baseline searched twice: with its own confidence rule and "
                  "threshold search, and with AEBNAS's (margin, grid {0.1, 0.2, 1.0}). The "
                  "difference is what the tuning alone contributes.", "",
                  "| baseline | own rule | HV own | HV AEBNAS's rule | difference (95 % CI) "
                  f"| acc@{macs(t)} % own | acc@{macs(t)} % AEBNAS's rule |",
                  "|---|---|---|---|---|---|---|"]
        for bname, r in s["rules"].items():
            d = r["difference"]
            lines.append(f"| {NAMES[bname]} | {r['own_rule']} | {hv(r['own']['mean'])} | "
                         f"{hv(r['ours']['mean'])} | {hv(d['difference'])} "
                         f"{ci(d['ci'], hv)} | {pct(r['own_accuracy']['mean'])} | "
                         f"{pct(r['ours_accuracy']['mean'])} |")
        lines.append("")
    h = s["heads"]
    lines += ["## Exit heads at equal cost", "",
              f"Every backbone on the AEBNAS runs' validation fronts ({h['backbones']} "
              "backbones, the cheapest first, at most "
              f"{b['heads_max_per_run']} per run) keeps its stages, exit placement and "
              "resolution and gets, in turn, its searched branches and the EDANAS, NACHOS "
              "and SDN heads, trained with the same budget on the same inherited backbone. "
              "For each, a sweep of MAC targets over the network's own range chooses "
              "thresholds on validation (margin rule, best accuracy under the target); the "
              "choices on the validation front form the head's front, read as a staircase: "
              "under a budget of x avg MACs, the test accuracy of the choice validation makes "
              "under x. A backbone's difference is the mean of searched − fixed at "
              f"{h['paired_points']} evenly spaced budgets, from the first both fronts reach to "
              "the largest either needs; the test is Wilcoxon's signed-rank test over "
              "backbones (exact, two-sided). The first table is descriptive: each head's mean "
              "test accuracy under fixed budgets, over the backbones whose front reaches that "
              "budget (n).", "",
              "| avg MACs | " + " | ".join(HEAD_NAMES[k] for k in h["curves"]) + " |",
              "|---|" + "---|" * len(h["curves"])]
    for i, x in enumerate(h["points"]):
        cells = [f"{pct(c[i]['mean'])} (n = {c[i]['n']})" for c in h["curves"].values()]
        lines.append(f"| {macs(x)} | " + " | ".join(cells) + " |")
    lines += [""] + comparison_table(h["comparisons"])
    lines += ["", "![Mean test accuracy of each head kind at matched avg MACs]"
              "(results/heads.svg)", ""]
    hb = s.get("heads_budget")
    if hb:
        lines += [f"### The same backbones with a longer head training ({hb['epochs']} epoch on "
                  f"{hb['train_samples']} images)", "",
                  "`bench/heads-budget` repeats the head comparison on the same "
                  f"{hb['backbones']} backbones with every head trained longer; the statistics "
                  "are the same.", ""] + comparison_table(hb["comparisons"]) + [""]
    lines += [
              "All numbers: [`results/summary.json`](results/summary.json). Rerun: "
              "`scripts/methods-table` (finished runs are kept; `REPORT_ONLY=1` rewrites "
              "this file from the raw files).", ""]
    return "\n".join(lines)


def _chart(title, xlabel, ylabel, series, xs_fmt, ys_fmt):
    """A small line chart: series = [(name, color, [(x, y, lo, hi)])]."""
    w, hgt, l, r, top, bot = 640, 360, 70, 150, 30, 50
    pts = [p for _, _, ps in series for p in ps if p[1] is not None]
    if not pts:
        return f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="60"><text x="10" y="30">{title}: no data</text></svg>'
    xs = [p[0] for p in pts]
    ys = [v for p in pts for v in (p[1], p[2], p[3]) if v is not None]
    x0, x1 = min(xs), max(xs)
    y0, y1 = min(ys), max(ys)
    if x1 == x0:
        x1 = x0 + 1
    pad = (y1 - y0) * 0.05 or 0.01
    y0, y1 = max(0.0, y0 - pad), y1 + pad  # hypervolumes and accuracies are not negative

    def px(x):
        return l + (x - x0) / (x1 - x0) * (w - l - r)

    def py(y):
        return top + (y1 - y) / (y1 - y0) * (hgt - top - bot)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{hgt}" '
           'font-family="sans-serif" font-size="11">',
           f'<text x="{l}" y="18" font-size="13">{title}</text>',
           f'<line x1="{l}" y1="{hgt - bot}" x2="{w - r}" y2="{hgt - bot}" stroke="#333"/>',
           f'<line x1="{l}" y1="{top}" x2="{l}" y2="{hgt - bot}" stroke="#333"/>',
           f'<text x="{(l + w - r) / 2}" y="{hgt - 12}" text-anchor="middle">{xlabel}</text>',
           f'<text x="14" y="{(top + hgt - bot) / 2}" transform="rotate(-90 14 '
           f'{(top + hgt - bot) / 2})" text-anchor="middle">{ylabel}</text>']
    for i in range(5):
        yv = y0 + (y1 - y0) * i / 4
        xv = x0 + (x1 - x0) * i / 4
        out.append(f'<text x="{l - 6}" y="{py(yv) + 4:.1f}" text-anchor="end">{ys_fmt(yv)}</text>')
        out.append(f'<text x="{px(xv):.1f}" y="{hgt - bot + 16}" text-anchor="middle">{xs_fmt(xv)}</text>')
    for n, (name, color, ps) in enumerate(series):
        ps = [p for p in ps if p[1] is not None]
        band = [p for p in ps if p[2] is not None]
        if len(band) > 1:
            poly = [(px(p[0]), py(p[3])) for p in band] + [(px(p[0]), py(p[2])) for p in reversed(band)]
            out.append(f'<polygon fill="{color}" fill-opacity="0.12" points="' +
                       " ".join(f"{a:.1f},{b:.1f}" for a, b in poly) + '"/>')
        if ps:
            out.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" points="' +
                       " ".join(f"{px(p[0]):.1f},{py(p[1]):.1f}" for p in ps) + '"/>')
        ly = top + 14 + 18 * n
        out.append(f'<line x1="{w - r + 12}" y1="{ly - 4}" x2="{w - r + 32}" y2="{ly - 4}" '
                   f'stroke="{color}" stroke-width="2"/>')
        out.append(f'<text x="{w - r + 38}" y="{ly}">{name}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def anytime_svg(s):
    series = []
    for m, r in s["methods"].items():
        ps = [(p["k"], p["mean"], *(p["ci"] or (None, None))) for p in r["anytime"]]
        series.append((NAMES[m], COLORS[m], ps))
    return _chart("Hypervolume against evaluations (mean, 95 % band)", "evaluated networks",
                  "HV (test-scored)", series, lambda x: f"{x:.0f}", lambda y: f"{y:.3f}")


def heads_svg(s):
    h = s["heads"]
    series = [(HEAD_NAMES[k], COLORS[k], [(c["macs"], c["mean"], None, None) for c in col])
              for k, col in h["curves"].items()]
    return _chart("Exit heads on the same backbones: test accuracy under each MAC budget",
                  "avg MACs", "test accuracy %", series, macs, lambda y: f"{100 * y:.1f}")
