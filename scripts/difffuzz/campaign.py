"""A fuzzing campaign: generate, run on both sides, compare; minimise divergences, group them by
signature, save new ones as regression cases, report cases/s."""
import glob
import hashlib
import json
import os
import time

from . import compare, generator, minimise, opcodes, revm
from .ankr import AnkrBatch, AnkrCrash, AnkrHang

# A crash costs a process restart per trial while minimising, so each raw class is minimised a few
# times and later divergences of it are counted under the signatures those samples got.
MINIMISE_PER_CLASS = 3


def load_known(path):
    """Signatures (one per line, `#` comments) of divergences the lead has accepted for now."""
    known = set()
    if path and os.path.exists(path):
        with open(path) as f:
            for line in f:
                line = line.split("#", 1)[0].strip()
                if line:
                    known.add(line)
    return known


class Runner:
    """Runs cases on both sides; `check` is what the minimiser calls."""

    def __init__(self, binary, timeout=60.0):
        self.ankr = AnkrBatch(binary, timeout=timeout)
        self.seconds_ankr = self.seconds_revm = 0.0

    def check(self, case):
        t = time.perf_counter()
        try:
            a = compare.ankr_outcome(case, self.ankr.run(case))
        except AnkrCrash as e:
            a = {"status": "crash", "reason": str(e), "site": e.site}
        except AnkrHang as e:
            a = {"status": "hang", "reason": str(e)}
        t2 = time.perf_counter()
        r = revm.run(case)
        self.seconds_ankr += t2 - t
        self.seconds_revm += time.perf_counter() - t2
        return compare.differences(a, r), a, r

    def close(self):
        self.ankr.close()


def describe(case, diffs, ankr, r):
    """What a regression file and the report say about a divergence."""
    def side(o):
        return {k: o.get(k) for k in ("status", "reason", "gasUsed", "output")}
    return {
        "signature": compare.signature(case, diffs, ankr, r),
        "ankr": side(ankr), "revm": side(r),
        "differences": [{"kind": k, "field": f, "ankr": str(x)[:200], "revm": str(y)[:200]} for k, f, x, y in diffs[:20]],
        "programs": {a: opcodes.disassemble(bytes.fromhex(acct.get("code", "0x")[2:]))
                     for a, acct in sorted(case["pre"].items()) if acct.get("code", "0x") != "0x"},
    }


def save_case(directory, seed, index, info, case):
    name = f"{info['signature'].split('|')[0]}-{hashlib.sha256(info['signature'].encode()).hexdigest()[:10]}"
    path = os.path.join(directory, name + ".json")
    if os.path.exists(path):
        return None
    os.makedirs(directory, exist_ok=True)
    with open(path, "w") as f:
        json.dump(dict(info, found={"seed": seed, "index": index}, case=case), f, indent=1, sort_keys=True)
        f.write("\n")
    return path


class Findings:
    """Divergences of a campaign: raw classes (a crash's site, else kind and statuses), each minimised a
    few times, and the signatures those minimised cases get."""

    def __init__(self, runner, seed, known, save_dir, minimise_budget, total_minimise_budget, log):
        self.runner, self.seed, self.known, self.save_dir, self.log = runner, seed, known, save_dir, log
        self.minimise_budget, self.total_minimise_budget = minimise_budget, total_minimise_budget
        self.by_signature, self.raw_classes = {}, {}
        self.minimise_seconds = 0.0

    def add(self, i, case, diffs, a, r):
        raw = ("crash", a["site"]) if a["status"] == "crash" else (compare.kind(diffs), a["status"], r["status"])
        samples = self.raw_classes.setdefault(raw, {"count": 0, "signatures": set(), "minimised": 0})
        samples["count"] += 1
        if a["status"] == "crash" and compare.signature(case, diffs, a, r) in self.known:
            # A crash's signature is its site, known before minimising: a known one is only counted.
            self._count(i, case, describe(case, diffs, a, r), samples, 0)
            return
        if samples["minimised"] >= MINIMISE_PER_CLASS or self.minimise_seconds >= self.total_minimise_budget:
            return
        samples["minimised"] += 1
        t = time.perf_counter()
        small, trials = minimise.minimise(case, self.runner.check, budget=self.minimise_budget)
        d, a2, r2 = self.runner.check(small)
        self.minimise_seconds += time.perf_counter() - t
        if not d:
            # A race in Ankr that the minimised case happened not to lose: keep the original case.
            small, d, a2, r2 = case, diffs, a, r
        self._count(i, small, describe(small, d, a2, r2), samples, trials)

    def _count(self, i, case, info, samples, trials):
        sig = info["signature"]
        samples["signatures"].add(sig)
        entry = self.by_signature.setdefault(sig, {"count": 0, "first": i, "info": info, "case": case, "known": sig in self.known})
        entry["count"] += 1
        if entry["count"] > 1:
            return
        self.log(f"case {i}: {'known ' if entry['known'] else ''}divergence {sig} (minimised in {trials} trials)")
        if self.save_dir and not entry["known"]:
            path = save_case(self.save_dir, self.seed, i, info, case)
            if path:
                self.log(f"  saved {path}")


def run(seed, cases, binary, corpus_root=None, known=frozenset(), save_dir=None, minimise_budget=20.0,
        total_minimise_budget=600.0, log=print, progress_every=5000, timeout=60.0):
    """Runs `cases` cases (None: until interrupted); a case Ankr has not answered in `timeout` seconds is
    a hang. Returns a summary dict (see `report`)."""
    corpus = generator.Corpus(corpus_root) if corpus_root and os.path.isdir(corpus_root) else None
    if corpus is not None:
        log(f"corpus: {len(corpus)} GeneralStateTests contracts from {corpus_root}")
    runner = Runner(binary, timeout=timeout)
    findings = Findings(runner, seed, known, save_dir, minimise_budget, total_minimise_budget, log)
    statuses = {}
    started = time.perf_counter()
    i = 0
    try:
        while cases is None or i < cases:
            case = generator.generate(seed, i, corpus)
            diffs, a, r = runner.check(case)
            statuses[(a["status"], r["status"])] = statuses.get((a["status"], r["status"]), 0) + 1
            if diffs:
                findings.add(i, case, diffs, a, r)
            i += 1
            if progress_every and i % progress_every == 0:
                elapsed = time.perf_counter() - started - findings.minimise_seconds
                log(f"{i} cases, {i / elapsed:.0f} cases/s, {sum(s['count'] for s in findings.raw_classes.values())} divergences")
    except KeyboardInterrupt:
        log(f"stopped after {i} cases")
    finally:
        runner.close()
    return {"seed": seed, "cases": i, "seconds": time.perf_counter() - started, "minimise_seconds": findings.minimise_seconds,
            "seconds_ankr": runner.seconds_ankr, "seconds_revm": runner.seconds_revm, "restarts": runner.ankr.restarts,
            "statuses": statuses, "findings": findings.by_signature, "raw_classes": findings.raw_classes, "known": known}


def unexplained(summary):
    """Signatures not in the known list, and raw classes with divergences none of whose samples is known."""
    bad = [s for s, f in summary["findings"].items() if not f["known"]]
    for raw, samples in summary["raw_classes"].items():
        if not samples["signatures"]:
            bad.append("unminimised " + "|".join(raw))
    return bad


def report(summary, log=print):
    n, secs = summary["cases"], summary["seconds"]
    fuzz = secs - summary["minimise_seconds"]
    log(f"seed {summary['seed']}: {n} cases in {secs:.1f} s ({n / max(fuzz, 1e-9):.0f} cases/s without minimising; "
        f"Ankr {summary['seconds_ankr']:.1f} s, revm {summary['seconds_revm']:.1f} s, minimising {summary['minimise_seconds']:.1f} s; "
        f"{summary['restarts']} Ankr restarts)")
    log("outcomes (ankr/revm): " + ", ".join(f"{a}/{r} {c}" for (a, r), c in sorted(summary["statuses"].items(), key=lambda x: -x[1])))
    for raw, samples in sorted(summary["raw_classes"].items()):
        log(f"divergence class {'|'.join(raw)}: {samples['count']} cases")
    for sig, f in sorted(summary["findings"].items()):
        info = f["info"]
        log(f"{'KNOWN ' if f['known'] else 'NEW '}{sig}: first at case {f['first']}")
        log(f"  ankr {info['ankr']}")
        log(f"  revm {info['revm']}")
        for d in info["differences"][:4]:
            log(f"  {d['field']}: ankr {d['ankr']} / revm {d['revm']}")
        for address, program in info["programs"].items():
            log(f"  {address}: {' '.join(program)[:400]}")


def replay(directory, binary, known):
    """Every regression case in `directory`: [(path, signature, diverges, diffs)]."""
    runner = Runner(binary)
    out = []
    try:
        for path in sorted(glob.glob(os.path.join(directory, "*.json"))):
            with open(path) as f:
                saved = json.load(f)
            diffs, _, _ = runner.check(saved["case"])
            out.append((path, saved["signature"], bool(diffs), diffs))
    finally:
        runner.close()
    return out
