# Vendored from shared/eval/score.py (the project's scorer, issue 5 allows vendoring) so
# that `kg eval` gives the same figures without the shared folder. Do not edit here:
# change shared/eval/score.py and copy it again.
"""Score the builder's event table against a fact-gold file.

Usage:
  python score.py GOLD.jsonl PRED.jsonl [--json] [--min-f1 X] [--kinds event,relation]

GOLD is a fact-gold file (FORMAT.md). PRED is the builder's event table, one
JSON object a line: doc, kind ("event"|"relation"), type, cameo, source,
target, source_country, target_country, source_code, target_code, date,
quantity, negated, modality, confidence, evidence.

Matching. A gold fact is found by a prediction of the same doc with the same
kind and type (case-insensitive), the same negation (a prediction with
"negated": true finds only a gold fact with "negated": true, and the other
way round), and whose source and target both match:
  - by name: after normalisation (lower case; apostrophes and full stops
    deleted, other punctuation turned into spaces; a leading "the" dropped),
    the predicted label equals the gold label, or the name or an alias of the
    gold entity that label names, or the last word of that entity's name when
    it is a Person;
  - by code: where the gold gives source_code/target_code, the predicted
    *_code or *_country equals it on the first 3 letters (USAGOV ~ USA).
  - A gold argument with neither label nor code (target null, or an actor
    the gold leaves unknown) matches anything.
Each prediction finds at most one gold fact and each gold fact is found at
most once; predictions are taken greedily by confidence (highest first, then
file order), and try required gold facts before optional ones.

Scores.
  recall     found required facts / required facts (all documents)
  precision  over documents marked complete only: predictions that found a
             required fact / (those + predictions that found nothing).
             Predictions that found an optional (required=false) fact count
             on neither side. With complete documents but no predictions in
             them, precision is 1.0; with no complete document, undefined.
  F1         harmonic mean of the two (undefined when precision is)
  recall, type only       as recall, ignoring source and target
  recall, arguments only  as recall, ignoring type (kind still has to agree)
  date accuracy           among found facts whose gold fact has a date, the
                          share whose predicted date agrees at the gold's
                          precision (gold 2025-07 accepts 2025-07-21)
Only the kinds that occur in the gold file are scored (or --kinds); other
predictions, and predictions for documents the gold file lacks, are ignored
and counted.

Exit status: 0, or 1 with --min-f1 X when F1 < X (when F1 is undefined
because no gold document is complete, recall is held to X instead);
2 on unreadable input.
"""

import argparse
import json
import sys
import unicodedata

__all__ = ["norm", "load_jsonl", "score", "format_table", "main"]


# --- normalisation -----------------------------------------------------------

def norm(label):
    """Normalise a label for comparison."""
    if label is None:
        return ""
    s = unicodedata.normalize("NFKC", str(label)).lower()
    out = []
    for ch in s:
        if ch in "'.\u2019":
            continue
        out.append(" " if unicodedata.category(ch)[0] in "PS" else ch)
    words = "".join(out).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def code3(code):
    """First 3 letters of an actor code, upper case; None for an unusable
    code (missing, too short, or an 'unknown' marker like '---')."""
    if not isinstance(code, str):
        return None
    c = code.strip().upper()
    if len(c) < 3 or not c[:3].isalpha():
        return None
    return c[:3]


def up(x):
    return str(x).strip().upper() if x is not None else ""


# --- input -------------------------------------------------------------------

def load_jsonl(path, warnings):
    rows = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.strip()
            if not line:
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                warnings.append(f"{path}:{n}: not JSON ({e.msg}); line skipped")
                continue
            if not isinstance(obj, dict):
                warnings.append(f"{path}:{n}: not a JSON object; line skipped")
                continue
            rows.append(obj)
    return rows


class Arg:
    """What a gold source or target accepts."""

    def __init__(self, label, code, entities):
        self.names, self.lasts = set(), set()
        self.code = code3(code)
        n = norm(label) if label else ""
        if n:
            self.names.add(n)
            ent = entities.get(n)
            if ent is not None:
                self.names.add(norm(ent.get("name")))
                for a in ent.get("aliases") or []:
                    self.names.add(norm(a))
                if ent.get("type") == "Person":
                    words = norm(ent.get("name")).split()
                    if words:
                        self.lasts.add(words[-1])
            self.names.discard("")
        self.wild = not self.names and self.code is None

    def matches(self, label, code, country):
        if self.wild:
            return True
        pl = norm(label) if label else ""
        if pl and (pl in self.names or pl in self.lasts):
            return True
        if self.code is not None:
            for c in (code, country):
                if code3(c) == self.code:
                    return True
        return False


class GoldFact:
    def __init__(self, doc, idx, fact, entities):
        self.doc, self.idx = doc, idx
        self.kind = (fact.get("kind") or "event").strip().lower()
        self.type = up(fact.get("type"))
        self.required = fact.get("required", True) is not False
        self.date = fact.get("date")
        self.negated = fact.get("negated") is True
        self.src = Arg(fact.get("source"), fact.get("source_code"), entities)
        self.tgt = Arg(fact.get("target"), fact.get("target_code"), entities)


class Pred:
    def __init__(self, row, order):
        self.row, self.order = row, order
        self.doc = str(row.get("doc")) if row.get("doc") is not None else None
        self.kind = (row.get("kind") or "event").strip().lower()
        self.type = up(row.get("type"))
        try:
            self.conf = float(row.get("confidence"))
        except (TypeError, ValueError):
            self.conf = float("-inf")
        self.date = row.get("date")
        self.negated = row.get("negated") is True

    def args_match(self, g):
        r = self.row
        return (g.src.matches(r.get("source"), r.get("source_code"), r.get("source_country"))
                and g.tgt.matches(r.get("target"), r.get("target_code"), r.get("target_country")))


def entity_index(doc):
    idx = {}
    for ent in doc.get("entities") or []:
        if not isinstance(ent, dict):
            continue
        for lab in [ent.get("name")] + list(ent.get("aliases") or []):
            n = norm(lab)
            if n and n not in idx:
                idx[n] = ent
    return idx


# --- matching ------------------------------------------------------------------

def greedy(preds, golds, ok):
    """Assign predictions (best confidence first) to the first unmatched gold
    fact they fit, required facts first. Returns {pred.order: gold}."""
    ordered_gold = sorted(golds, key=lambda g: (not g.required, g.idx))
    taken, out = set(), {}
    for p in sorted(preds, key=lambda p: (-p.conf, p.order)):
        for g in ordered_gold:
            if id(g) in taken or not ok(p, g):
                continue
            taken.add(id(g))
            out[p.order] = g
            break
    return out


def ratio(a, b):
    return a / b if b else None


def f1(p, r):
    if p is None or r is None:
        return None
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def score(gold_docs, pred_rows, kinds=None, warnings=None):
    warnings = warnings if warnings is not None else []
    docs, golds_by_doc = {}, {}
    for d in gold_docs:
        did = d.get("id")
        if did is None:
            warnings.append("gold document without id skipped")
            continue
        did = str(did)
        if did in docs:
            warnings.append(f"gold document id {did!r} repeated; later copy skipped")
            continue
        docs[did] = d
        ents = entity_index(d)
        golds_by_doc[did] = [GoldFact(did, i, f, ents)
                             for i, f in enumerate(d.get("facts") or []) if isinstance(f, dict)]
    all_gold = [g for gs in golds_by_doc.values() for g in gs]
    if kinds is None:
        kinds = {g.kind for g in all_gold} or {"event"}
    kinds = {k.strip().lower() for k in kinds}
    complete = {did for did, d in docs.items() if d.get("complete") is True}

    ignored = {"unknown_doc": 0, "other_kind": 0, "no_doc": 0}
    preds_by_doc = {}
    for i, row in enumerate(pred_rows):
        p = Pred(row, i)
        if p.doc is None:
            ignored["no_doc"] += 1
        elif p.doc not in docs:
            ignored["unknown_doc"] += 1
        elif p.kind not in kinds:
            ignored["other_kind"] += 1
        else:
            preds_by_doc.setdefault(p.doc, []).append(p)

    types = set()
    per_type = {}

    def bucket(t):
        types.add(t)
        return per_type.setdefault(t, {"gold": 0, "found": 0, "found_type_only": 0,
                                       "pred": 0, "tp": 0, "fp": 0})

    tot = {"required": 0, "found": 0, "found_type_only": 0, "found_args_only": 0,
           "pred_complete": 0, "tp": 0, "fp": 0, "neutral": 0, "dated": 0, "date_ok": 0}
    for did in docs:
        golds = [g for g in golds_by_doc[did] if g.kind in kinds]
        preds = preds_by_doc.get(did, [])
        for g in golds:
            if g.required:
                tot["required"] += 1
                bucket(g.type)["gold"] += 1
        full = greedy(preds, golds, lambda p, g: p.kind == g.kind and p.type == g.type
                      and p.negated == g.negated and p.args_match(g))
        tonly = greedy(preds, golds, lambda p, g: p.kind == g.kind and p.type == g.type)
        aonly = greedy(preds, golds, lambda p, g: p.kind == g.kind and p.args_match(g))
        for g in full.values():
            if g.required:
                tot["found"] += 1
                bucket(g.type)["found"] += 1
        for g in tonly.values():
            if g.required:
                tot["found_type_only"] += 1
                bucket(g.type)["found_type_only"] += 1
        tot["found_args_only"] += sum(1 for g in aonly.values() if g.required)
        for p in preds:
            g = full.get(p.order)
            if g is not None and g.date:
                tot["dated"] += 1
                if str(p.date or "")[:len(str(g.date)[:10])] == str(g.date)[:10]:
                    tot["date_ok"] += 1
        if did in complete:
            for p in preds:
                g = full.get(p.order)
                tot["pred_complete"] += 1
                b = bucket(p.type)
                b["pred"] += 1
                if g is None:
                    tot["fp"] += 1
                    b["fp"] += 1
                elif g.required:
                    tot["tp"] += 1
                    b["tp"] += 1
                else:
                    tot["neutral"] += 1

    def prec(tp, fp):
        if tp + fp:
            return tp / (tp + fp)
        return 1.0 if complete else None

    precision = prec(tot["tp"], tot["fp"])
    recall = ratio(tot["found"], tot["required"])
    table = {}
    for t in sorted(types):
        b = per_type[t]
        p = prec(b["tp"], b["fp"]) if (b["pred"] or b["gold"]) else None
        r = ratio(b["found"], b["gold"])
        table[t] = dict(b, precision=p, recall=r, f1=f1(p, r),
                        recall_type_only=ratio(b["found_type_only"], b["gold"]))
    return {
        "docs": len(docs),
        "complete_docs": len(complete),
        "kinds": sorted(kinds),
        "required_facts": tot["required"],
        "predictions_scored": sum(len(v) for v in preds_by_doc.values()),
        "predictions_ignored": ignored,
        "found": tot["found"],
        "precision": precision,
        "precision_counts": {"tp": tot["tp"], "fp": tot["fp"], "optional_matches": tot["neutral"],
                             "predictions_in_complete_docs": tot["pred_complete"]},
        "recall": recall,
        "f1": f1(precision, recall),
        "recall_type_only": ratio(tot["found_type_only"], tot["required"]),
        "recall_args_only": ratio(tot["found_args_only"], tot["required"]),
        "date_accuracy": ratio(tot["date_ok"], tot["dated"]),
        "date_counts": {"correct": tot["date_ok"], "with_gold_date": tot["dated"]},
        "per_type": table,
        "warnings": warnings,
    }


# --- output --------------------------------------------------------------------

def fmt(x):
    return "  n/a" if x is None else f"{x:.3f}"


def format_table(res, gold_path="", pred_path=""):
    lines = []
    lines.append(f"gold {gold_path}: {res['docs']} docs ({res['complete_docs']} complete), "
                 f"{res['required_facts']} required facts; kinds scored: {', '.join(res['kinds'])}")
    ig = res["predictions_ignored"]
    lines.append(f"pred {pred_path}: {res['predictions_scored']} predictions scored; ignored: "
                 f"{ig['unknown_doc']} unknown doc, {ig['other_kind']} other kind, {ig['no_doc']} no doc")
    pc = res["precision_counts"]
    lines.append("")
    lines.append(f"precision               {fmt(res['precision'])}   "
                 f"(complete docs: {pc['tp']} tp, {pc['fp']} fp, {pc['optional_matches']} optional)")
    lines.append(f"recall                  {fmt(res['recall'])}   ({res['found']}/{res['required_facts']})")
    lines.append(f"F1                      {fmt(res['f1'])}")
    lines.append(f"recall, type only       {fmt(res['recall_type_only'])}")
    lines.append(f"recall, arguments only  {fmt(res['recall_args_only'])}")
    dc = res["date_counts"]
    lines.append(f"date accuracy           {fmt(res['date_accuracy'])}   "
                 f"({dc['correct']}/{dc['with_gold_date']} found facts with a gold date)")
    lines.append("")
    head = f"{'type':<11} {'gold':>5} {'found':>5} {'recall':>6} {'pred':>5} {'tp':>4} {'fp':>4} {'prec':>6} {'F1':>6} {'typeR':>6}"
    lines.append(head)
    lines.append("-" * len(head))
    for t, b in res["per_type"].items():
        lines.append(f"{t[:11]:<11} {b['gold']:>5} {b['found']:>5} {fmt(b['recall']):>6} {b['pred']:>5} "
                     f"{b['tp']:>4} {b['fp']:>4} {fmt(b['precision']):>6} {fmt(b['f1']):>6} "
                     f"{fmt(b['recall_type_only']):>6}")
    lines.append("(pred/tp/fp/prec: complete docs only; typeR: recall on type alone)")
    for w in res["warnings"][:20]:
        lines.append("warning: " + w)
    if len(res["warnings"]) > 20:
        lines.append(f"warning: ... {len(res['warnings']) - 20} more")
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Score a builder event table against fact gold (see module docstring).")
    ap.add_argument("gold", help="fact gold, JSON Lines")
    ap.add_argument("pred", help="predicted event table, JSON Lines")
    ap.add_argument("--json", action="store_true", help="print JSON instead of a table")
    ap.add_argument("--min-f1", type=float, default=None, metavar="X",
                    help="exit 1 when F1 < X (recall < X when F1 is undefined)")
    ap.add_argument("--kinds", default=None,
                    help="comma-separated kinds to score (default: those in the gold file)")
    args = ap.parse_args(argv)

    warnings = []
    try:
        gold = load_jsonl(args.gold, warnings)
        pred = load_jsonl(args.pred, warnings)
    except OSError as e:
        print(f"score.py: {e}", file=sys.stderr)
        return 2
    kinds = [k for k in args.kinds.split(",") if k.strip()] if args.kinds else None
    res = score(gold, pred, kinds=kinds, warnings=warnings)
    res["gold_file"], res["pred_file"] = args.gold, args.pred

    status = 0
    if args.min_f1 is not None:
        value, name = res["f1"], "F1"
        if value is None:
            value, name = res["recall"], "recall (F1 undefined: no complete gold document)"
        res["gate"] = {"min_f1": args.min_f1, "checked": name, "value": value,
                       "passed": value is not None and value >= args.min_f1}
        if not res["gate"]["passed"]:
            status = 1
    if args.json:
        print(json.dumps(res, indent=2, sort_keys=False))
    else:
        print(format_table(res, args.gold, args.pred))
        if "gate" in res:
            g = res["gate"]
            print(f"\ngate: {g['checked']} = {fmt(g['value'])} vs min {args.min_f1:.3f}: "
                  f"{'pass' if g['passed'] else 'FAIL'}")
    return status


if __name__ == "__main__":
    sys.exit(main())
