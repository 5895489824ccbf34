"""Independent check of the test PKI (Tests/AnkrDCAPTesting): verifies every quote + collateral that
TestPKITests minted into a directory with dcap-qvl's verify_with_root_ca under the test root, and compares
the outcome with the expectation the Swift test wrote beside it.

Usage: dcap_testpki_check.py DIR   (DIR holds cases.json and the quote, collateral and root files its cases name)
Prints one line per case, "ok <name> (<outcome>)" or "MISMATCH <name>: ...", and exits 1 on any mismatch.
Not a pytest module: the Swift test runs it (swift test --filter TestPKITests). To keep the minted evidence and
rerun the check by hand: ANKR_DCAP_TESTPKI_OUT=/tmp/testpki swift test --filter TestPKITests, then
.venv-e2e/bin/python Tests/e2e/dcap_testpki_check.py /tmp/testpki.
"""
import json
import pathlib
import sys

import dcap_qvl


def report_fields(verified):
    """The inner report dict of a VerifiedReport ({"SgxEnclave": {...}} or {"TD10": {...}} ...)."""
    report = json.loads(verified.to_json())["report"]
    (kind, fields), = report.items()
    # A TD report 1.5 nests the 1.0 fields under "base".
    return kind, {**fields.get("base", {}), **fields}


def check(directory, case):
    root = (directory / case["root"]).read_bytes()
    quote = (directory / case["quote"]).read_bytes()
    collateral = dcap_qvl.QuoteCollateralV3.from_json((directory / case["collateral"]).read_text())
    expect = case["expect"]
    try:
        verified = dcap_qvl.verify_with_root_ca(quote, collateral, root, case["time"])
    except Exception as error:  # dcap-qvl raises ValueError/RuntimeError with the reason
        if "reject" in expect:
            return None, f"rejected: {error}"
        return f"rejected: {error!r}", None
    if "reject" in expect:
        return f"accepted with status {verified.status}, expected a rejection because {expect['reject']}", None
    problems = []
    if verified.status != expect["status"]:
        problems.append(f"status {verified.status} != {expect['status']}")
    if list(verified.advisory_ids) != expect["advisory_ids"]:
        problems.append(f"advisories {list(verified.advisory_ids)} != {expect['advisory_ids']}")
    if bytes(verified.ppid).hex() != expect["ppid"]:
        problems.append(f"ppid {bytes(verified.ppid).hex()} != {expect['ppid']}")
    kind, fields = report_fields(verified)
    if kind != expect["report_kind"]:
        problems.append(f"report kind {kind} != {expect['report_kind']}")
    for name, value in expect["report"].items():
        if str(fields.get(name)) != value:
            problems.append(f"report {name} {fields.get(name)!r} != {value!r}")
    return "; ".join(problems) or None, f"accepted: {verified.status}"


def main(argv):
    directory = pathlib.Path(argv[1])
    manifest = json.loads((directory / "cases.json").read_text())
    failed = 0
    for case in manifest["cases"]:
        problem, note = check(directory, case)
        if problem:
            failed += 1
            print(f"MISMATCH {case['name']}: {problem}")
        else:
            print(f"ok {case['name']} ({note})")
    print(f"{len(manifest['cases']) - failed}/{len(manifest['cases'])} cases agree with dcap-qvl {dcap_qvl.__version__}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
