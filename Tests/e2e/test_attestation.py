"""`ankr attestation verify` on the real SGX quote of ../shared/vectors/sgx, checked against expected.json and
against dcap-qvl 0.7.0 (the reference verifier, called live), then a fixed-seed differential run: flipped bytes
in every region of the quote, tampered collateral documents and times on each side of every validity window,
each verified by both, which must make the same accept/reject decision (and report the same status)."""
import base64
import calendar
import json
import os
import random
import re
import struct
import subprocess
import tempfile
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import version

import dcap_qvl
import pytest

from conftest import ANKR, ROOT

VECTORS = os.path.join(os.path.dirname(ROOT), "shared", "vectors", "sgx")
with open(os.path.join(VECTORS, "expected.json")) as f:
    EXPECTED = json.load(f)
with open(os.path.join(VECTORS, EXPECTED["quote"]), "rb") as f:
    QUOTE = f.read()
with open(os.path.join(VECTORS, EXPECTED["collateral"])) as f:
    COLLATERAL = f.read()
INSIDE = next(r["time"] for r in EXPECTED["results"] if "status" in r)
SEED = 1919
# Flipped bytes per quote region and per collateral document.
QUOTE_FLIPS = 60
COLLATERAL_FLIPS = 40
# ArgumentParser's exit status for a usage error (EX_USAGE).
USAGE = 64


def run(*args):
    return subprocess.run([ANKR, "attestation", "verify", *args], capture_output=True, text=True, timeout=60)


# --- The quote's layout (SGX quote v3, certification data type 5) ------------------------------------------

def quote_regions(quote):
    """(name, start, end) of each region of an SGX v3 quote with an ECDSA-P256 signature and a PCK chain."""
    auth = 436 + 64 + 64 + 384 + 64
    (auth_size,) = struct.unpack_from("<H", quote, auth)
    cert = auth + 2 + auth_size
    return [("header", 0, 48), ("report body", 48, 432), ("signature data length", 432, 436),
            ("quote signature", 436, 500), ("attestation key", 500, 564), ("QE report", 564, 948),
            ("QE report signature", 948, 1012), ("QE auth data", auth, cert),
            ("certification data header", cert, cert + 6), ("PCK cert chain", cert + 6, len(quote))]


def pck_chain_pem(quote):
    start = quote_regions(quote)[-1][1]
    return quote[start:].rstrip(b"\0").decode()


# --- Validity windows, read from the DER of the certificates and CRLs --------------------------------------

def der(buf, i):
    """(tag, content start, content end) of the DER element at i."""
    tag, length, i = buf[i], buf[i + 1], i + 2
    if length & 0x80:
        n = length & 0x7F
        length, i = int.from_bytes(buf[i:i + n], "big"), i + n
    return tag, i, i + length


def der_children(buf, start, end):
    out, i = [], start
    while i < end:
        tag, s, e = der(buf, i)
        out.append((tag, s, e))
        i = e
    return out


def der_time(buf, tag, s, e):
    text = buf[s:e].decode()
    if tag == 0x17:  # UTCTime, YYMMDDHHMMSSZ (RFC 5280: 50..99 are 19xx)
        year = int(text[:2])
        text = ("19" if year >= 50 else "20") + text
    return calendar.timegm((int(text[:4]), int(text[4:6]), int(text[6:8]), int(text[8:10]), int(text[10:12]), int(text[12:14])))


def tbs(buf):
    _, s, e = der(buf, 0)
    _, ts, te = der(buf, s)
    return der_children(buf, ts, te)


def certificate_validity(cert):
    fields = [f for f in tbs(cert) if f[0] != 0xA0]  # without the explicit [0] version
    _, s, e = fields[3]
    not_before, not_after = der_children(cert, s, e)
    return der_time(cert, *not_before), der_time(cert, *not_after)


def certificate_public_key(cert):
    fields = [f for f in tbs(cert) if f[0] != 0xA0]
    _, s, e = fields[5]
    _, bs, be = der_children(cert, s, e)[1]
    return cert[bs + 1:be]  # the BIT STRING's content after its unused-bits byte


def crl_window(crl):
    fields = [f for f in tbs(crl) if f[0] != 0x02]  # without the version
    return der_time(crl, *fields[2]), der_time(crl, *fields[3])


def pem_certificates(text):
    blocks = text.split("-----BEGIN CERTIFICATE-----")[1:]
    return [base64.b64decode("".join(b.split("-----END CERTIFICATE-----")[0].split())) for b in blocks]


def iso(text):
    return calendar.timegm((int(text[:4]), int(text[5:7]), int(text[8:10]), int(text[11:13]), int(text[14:16]), int(text[17:19])))


def window_boundaries():
    """(what, unix time) of every first and last second of a validity window the verification depends on."""
    c = json.loads(COLLATERAL)
    out = []
    for doc in ("tcb_info", "qe_identity"):
        body = json.loads(c[doc])
        out += [(f"{doc} issueDate", iso(body["issueDate"])), (f"{doc} nextUpdate", iso(body["nextUpdate"]))]
    for crl in ("root_ca_crl", "pck_crl"):
        this, nxt = crl_window(bytes.fromhex(c[crl]))
        out += [(f"{crl} thisUpdate", this), (f"{crl} nextUpdate", nxt)]
    chains = {"quote PCK chain": pck_chain_pem(QUOTE)} | {k: c[k] for k in ("pck_crl_issuer_chain", "tcb_info_issuer_chain", "qe_identity_issuer_chain")}
    for name, chain in chains.items():
        for n, cert in enumerate(pem_certificates(chain)):
            start, end = certificate_validity(cert)
            out += [(f"{name} cert {n} notBefore", start), (f"{name} cert {n} notAfter", end)]
    return out


# --- The two verifiers -------------------------------------------------------------------------------------

class Outcome:
    def __init__(self, accepted, status=None, advisories=None, qe=None, platform=None, ppid=None, reason=None):
        self.accepted, self.status, self.advisories, self.qe, self.platform, self.ppid, self.reason = \
            accepted, status, advisories, qe, platform, ppid, reason

    def summary(self):
        return (self.accepted, self.status, self.advisories, self.qe, self.platform, self.ppid)

    def __repr__(self):
        return f"accepted {self.status} {self.advisories}" if self.accepted else f"rejected: {self.reason}"


def theirs(quote, collateral, time):
    try:
        report = json.loads(dcap_qvl.verify(quote, dcap_qvl.QuoteCollateralV3.from_json(collateral), time).to_json())
    except Exception as e:  # dcap-qvl raises on every rejection
        return Outcome(False, reason=str(e))
    return Outcome(True, report["status"], report["advisory_ids"], report["qe_status"]["status"],
                   report["platform_status"]["status"], report["ppid"])


def bare(hex_text):
    return hex_text[2:] if hex_text.startswith("0x") else hex_text


class Ours:
    """Runs the CLI on files in a private directory (one file pair per call, so calls can run in parallel)."""

    def __init__(self, directory):
        self.directory = directory
        self.counter = 0
        self.lock = threading.Lock()

    def verify(self, quote, collateral, time):
        with self.lock:
            self.counter += 1
            n = self.counter
        q, c = os.path.join(self.directory, f"{n}.quote"), os.path.join(self.directory, f"{n}.json")
        with open(q, "wb") as f:
            f.write(quote)
        with open(c, "w") as f:
            f.write(collateral)
        r = run(q, "--collateral", c, "--time", str(time), "--json")
        # A crash keeps its inputs for reproduction.
        assert r.returncode in (0, 1), f"exit {r.returncode} on {q} --collateral {c} --time {time}: {r.stderr[:2000]}"
        os.remove(q)
        os.remove(c)
        if r.returncode == 0:
            o = json.loads(r.stdout)
            return Outcome(True, o["status"], o["advisory_ids"], o["qe_status"], o["platform_status"], bare(o["ppid"]))
        lines = r.stderr.splitlines()
        assert len(lines) == 1 and lines[0].strip(), r.stderr
        return Outcome(False, reason=lines[0])


@pytest.fixture
def ours(tmp_path):
    return Ours(str(tmp_path))


def files(tmp_path, quote=QUOTE, collateral=COLLATERAL):
    q, c = tmp_path / "quote", tmp_path / "collateral.json"
    q.write_bytes(quote)
    c.write_text(collateral)
    return str(q), str(c)


# --- The real quote ----------------------------------------------------------------------------------------

def test_real_quote_at_the_expected_times_matches_expected_json_and_dcap_qvl(tmp_path):
    quote, collateral = files(tmp_path)
    for case in EXPECTED["results"]:
        reference = theirs(QUOTE, COLLATERAL, case["time"])
        r = run(quote, "--collateral", collateral, "--time", str(case["time"]), "--json")
        if "rejected" in case:
            assert not reference.accepted and case["rejected"] in reference.reason
            assert r.returncode == 1 and r.stdout == "", case["case"]
            assert len(r.stderr.splitlines()) == 1, r.stderr
            # The line names what was out of date.
            assert ("TCB info" if "TCBInfo" in case["rejected"] else "CRL") in r.stderr, r.stderr
            continue
        assert r.returncode == 0, r.stderr
        got = json.loads(r.stdout)
        assert reference.accepted
        assert (got["status"], got["advisory_ids"], got["qe_status"], got["platform_status"]) == \
            (case["status"], case["advisory_ids"], case["qe_status"], case["platform_status"])
        assert (got["status"], got["advisory_ids"], got["qe_status"], got["platform_status"], bare(got["ppid"])) == \
            (reference.status, reference.advisories, reference.qe, reference.platform, reference.ppid)
        for key in ("mr_enclave", "mr_signer", "report_data", "ppid"):
            assert bare(got[key]) == case[key], key
        body = json.loads(dcap_qvl.verify(QUOTE, dcap_qvl.QuoteCollateralV3.from_json(COLLATERAL), case["time"]).to_json())["report"]["SgxEnclave"]
        assert got["tee_type"] == "SGX"
        assert (got["isv_prod_id"], got["isv_svn"]) == (body["isv_prod_id"], body["isv_svn"])
        assert got["debug"] == bool(bytes.fromhex(body["attributes"])[0] & 0x02)
        assert bare(got["fmspc"]).upper() == json.loads(json.loads(COLLATERAL)["tcb_info"])["fmspc"]
        assert set(got) == {"status", "advisory_ids", "qe_status", "platform_status", "tee_type", "mr_enclave", "mr_signer",
                            "isv_prod_id", "isv_svn", "debug", "report_data", "ppid", "fmspc"}


def test_text_output_names_every_field(tmp_path):
    quote, collateral = files(tmp_path)
    r = run(quote, "--collateral", collateral, "--time", str(INSIDE))
    assert r.returncode == 0, r.stderr
    expected = next(c for c in EXPECTED["results"] if "status" in c)
    text = r.stdout
    for needle in (expected["status"], *expected["advisory_ids"], "SGX", expected["mr_enclave"], expected["mr_signer"],
                   expected["report_data"], expected["ppid"], "00a067110000"):
        assert needle in text.lower() or needle in text, needle
    labels = [line.split(":")[0].strip().lower() for line in text.splitlines()]
    for label in ("status", "advisory ids", "qe status", "platform status", "tee type", "mrenclave", "mrsigner", "isv prod id",
                  "isv svn", "debug", "report data", "ppid", "fmspc"):
        assert label in labels, label


def test_time_is_accepted_as_iso_8601(tmp_path):
    quote, collateral = files(tmp_path)
    unix = run(quote, "--collateral", collateral, "--time", "1750809600", "--json")
    for text in ("2025-06-25T00:00:00Z", "2025-06-25T02:00:00+02:00"):
        r = run(quote, "--collateral", collateral, "--time", text, "--json")
        assert r.returncode == 0 and r.stdout == unix.stdout, (text, r.stderr)


def test_root_given_as_hex_key_or_pem_certificate(tmp_path):
    quote, collateral = files(tmp_path)
    root_cert = pem_certificates(pck_chain_pem(QUOTE))[-1]
    key = certificate_public_key(root_cert)
    assert len(key) == 65 and key[0] == 4
    pem = tmp_path / "root.pem"
    text = base64.b64encode(root_cert).decode()
    pem.write_text("".join(["-----BEGIN CERTIFICATE-----\n"] + [text[i:i + 64] + "\n" for i in range(0, len(text), 64)]
                           + ["-----END CERTIFICATE-----\n"]))
    for root in (key.hex(), "0x" + key.hex(), str(pem)):
        r = run(quote, "--collateral", collateral, "--time", str(INSIDE), "--root", root)
        assert r.returncode == 0, (root, r.stderr)
    # Any other key, here the PCK Platform CA's: the chain does not end there.
    other = certificate_public_key(pem_certificates(pck_chain_pem(QUOTE))[1])
    r = run(quote, "--collateral", collateral, "--time", str(INSIDE), "--root", other.hex())
    assert r.returncode == 1 and len(r.stderr.splitlines()) == 1, r.stderr


def test_bad_arguments_are_usage_errors(tmp_path):
    quote, collateral = files(tmp_path)
    for args in ([quote, "--collateral", collateral],  # no --time: the verification time is an input
                 [quote, "--time", str(INSIDE)],
                 [quote, "--collateral", collateral, "--time", "yesterday"],
                 [quote, "--collateral", collateral, "--time", "-5"],
                 [quote, "--collateral", collateral, "--time", "99999999999999999999999"],
                 [quote, "--collateral", collateral, "--time", "2025-13-01T00:00:00Z"]):
        r = run(*args)
        assert r.returncode == USAGE and r.stdout == "", (args, r.returncode, r.stderr)
    help_text = run("--help").stdout
    assert "--time" in help_text and "input" in help_text


def test_missing_unreadable_or_oversized_files_fail_with_one_line(tmp_path):
    quote, collateral = files(tmp_path)
    big = tmp_path / "big"
    big.write_bytes(b"\0" * (4 << 20))
    bad_root = tmp_path / "root.pem"
    bad_root.write_text("not a key\n")
    cases = [[str(tmp_path / "absent"), "--collateral", collateral],
             [quote, "--collateral", str(tmp_path / "absent.json")],
             [str(tmp_path), "--collateral", collateral],
             [str(big), "--collateral", collateral],
             [quote, "--collateral", str(big)],
             ["/dev/zero", "--collateral", collateral],
             [quote, "--collateral", "/dev/zero"],
             [quote, "--collateral", quote],
             [collateral, "--collateral", collateral],
             [quote, "--collateral", collateral, "--root", str(bad_root)],
             [quote, "--collateral", collateral, "--root", str(tmp_path / "absent.pem")],
             [quote, "--collateral", collateral, "--root", "04" + "00" * 64]]
    for args in cases:
        r = run(*args, "--time", str(INSIDE))
        assert r.returncode == 1 and r.stdout == "", (args, r.returncode, r.stderr)
        assert len(r.stderr.splitlines()) == 1 and r.stderr.strip(), (args, r.stderr)


# --- Differential run against dcap-qvl ----------------------------------------------------------------------

def flipped(data, rng, start, end):
    """data with one byte in [start, end) XORed with a non-zero mask."""
    out = bytearray(data)
    i = rng.randrange(start, end)
    out[i] ^= rng.randrange(1, 256)
    return bytes(out)


def quote_mutations(rng):
    for name, start, end in quote_regions(QUOTE):
        for _ in range(QUOTE_FLIPS):
            yield name, flipped(QUOTE, rng, start, end), COLLATERAL, INSIDE
    for _ in range(20):
        yield "truncated quote", QUOTE[:rng.randrange(0, len(QUOTE))], COLLATERAL, INSIDE
    for _ in range(10):
        yield "quote with trailing bytes", QUOTE + bytes(rng.randrange(256) for _ in range(rng.randrange(1, 64))), COLLATERAL, INSIDE
    # Quoting stacks may zero-pad the buffer (dcap-qvl's TDX sample is): both verifiers accept that.
    for _ in range(5):
        yield "zero-padded quote", QUOTE + bytes(rng.randrange(1, 128)), COLLATERAL, INSIDE


def collateral_mutations(rng):
    original = json.loads(COLLATERAL)
    for key in ("tcb_info", "tcb_info_signature", "qe_identity", "qe_identity_signature", "root_ca_crl", "pck_crl",
                "pck_crl_issuer_chain", "tcb_info_issuer_chain", "qe_identity_issuer_chain"):
        value = original[key]
        for _ in range(COLLATERAL_FLIPS):
            doc = dict(original)
            if key.endswith("_signature") or key.endswith("_crl"):
                raw = bytes.fromhex(value)
                doc[key] = flipped(raw, rng, 0, len(raw)).hex()
            else:
                # A character of the JSON or PEM text: one of its low seven bits flipped, so the text stays ASCII.
                chars = list(value)
                i = rng.randrange(len(chars))
                chars[i] = chr(ord(chars[i]) ^ (1 << rng.randrange(7)))
                doc[key] = "".join(chars)
            yield key, QUOTE, json.dumps(doc), INSIDE


def time_mutations():
    for what, t in window_boundaries():
        for delta in (-1, 0, 1):
            yield f"time {what}{delta:+d}", QUOTE, COLLATERAL, max(0, t + delta)
    for t in (0, 1, 2**31, 2**32, 4102444800):
        yield "time far away", QUOTE, COLLATERAL, t


def times_inside(rng):
    """Times inside every window (the latest start to the earliest end), where both must accept with the same status."""
    c = json.loads(COLLATERAL)
    start = max(iso(json.loads(c[d])["issueDate"]) for d in ("tcb_info", "qe_identity"))
    end = min(iso(json.loads(c[d])["nextUpdate"]) for d in ("tcb_info", "qe_identity"))
    for _ in range(20):
        yield "time inside the windows", QUOTE, COLLATERAL, rng.randrange(start, end + 1)


def stricter_by_design(region):
    """Why Ankr rightly refuses a case dcap-qvl accepts, or None. dcap-qvl reads a quote up to the end of its declared
    signature data and ignores what follows; Ankr requires the quote to end there, so a quote that verifies has one
    byte string (a registry keyed by quote bytes cannot be handed the same evidence twice under different hashes)."""
    return "bytes after the quote's signature data" if region == "quote with trailing bytes" else None


def test_fixed_seed_mutations_get_the_same_decision_from_dcap_qvl_and_ankr(ours):
    rng = random.Random(SEED)
    cases = list(quote_mutations(rng)) + list(collateral_mutations(rng)) + list(time_mutations()) + list(times_inside(rng))
    assert len(cases) >= 1000

    def check(case):
        region, quote, collateral, time = case
        return region, time, theirs(quote, collateral, time), ours.verify(quote, collateral, time)

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(check, cases))
    per_region, rejected, agreed, stricter, disagreements = Counter(), Counter(), Counter(), Counter(), []
    example = {}
    for (region, time, reference, got), case in zip(results, cases):
        region = re.sub(r" (cert \d+ )?(issueDate|nextUpdate|thisUpdate|notBefore|notAfter)[+-]\d+$", " windows", region)
        per_region[region] += 1
        rejected[region] += not reference.accepted
        if reference.summary() == got.summary() or (not reference.accepted and not got.accepted):
            agreed[region] += 1
        elif reference.accepted and not got.accepted and (why := stricter_by_design(region)):
            stricter[why] += 1
            example.setdefault(why, got.reason)
        else:
            disagreements.append((region, time, reference, got))
    both_accepted = sum(agreed.values()) - sum(rejected.values())
    print(f"\n{len(cases)} cases against dcap-qvl {version('dcap-qvl')}: {sum(agreed.values())} same decision "
          f"({sum(rejected.values())} rejected by both, {both_accepted} accepted by both with the same status and advisories)")
    for region in per_region:
        print(f"  {region:42} {per_region[region]:4} cases, {agreed[region]:4} agree, {rejected[region]:4} rejected by dcap-qvl")
    for why, n in stricter.items():
        print(f"  accepted by dcap-qvl, refused by ankr by design ({why}): {n}, e.g. {example[why]}")
    for region, time, reference, got in disagreements[:20]:
        print(f"  DISAGREE {region} at {time}: dcap-qvl {reference!r}; ankr {got!r}")
    assert not disagreements
    # The run exercises both outcomes, so it does not compare only failures.
    assert sum(rejected.values()) > 500 and both_accepted >= 20
