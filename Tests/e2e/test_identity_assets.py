"""Smart identities and the asset API against a real dev node, through the ankr CLI and plain HTTP:
claims sealed to granted viewers only, the credit score, and assets promoted, valued by the oracle
(a local HTTPS source through a real relay), transferred and burned with the owner's signature."""
import json
import urllib.error
import urllib.request

from eth_account import Account
from web3 import Web3

from conftest import DEV_KEY, ankr
from test_oracle import ALICE, ALICE_ADDR, oracle_chain, relay, request  # noqa: F401 (fixture)

IDENTITY = Web3.to_checksum_address("0x00000000000000000000000000000000000a0004")
TENANT, LANDLORD, LENDER, STRANGER = ("0x" + b * 32 for b in ("c3", "d4", "e5", "f6"))
ADDR = {k: Account.from_key(k).address for k in (TENANT, LANDLORD, LENDER, STRANGER)}


def cli(node, *args, key=None):
    extra = ["--private-key", key] if key else []
    return ankr(*args, *extra, "--rpc", node.url)


def as_json(proc):
    return json.loads(proc.stdout)


def http(node, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(node.url + path, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def claims(node, key, subject):
    return as_json(cli(node, "identity", "claims", "--subject", subject, key=key))


def test_claims_reach_only_granted_viewers_and_the_score_counts_what_stands(oracle_chain):
    node, w3, _, _ = oracle_chain
    for k in ADDR:
        ankr("send", "--to", ADDR[k], "--value", "5ankr", "--private-key", DEV_KEY, "--rpc", node.url)
    for k in (TENANT, LANDLORD, LENDER):
        cli(node, "identity", "register", "--metadata", f"profile of {ADDR[k]}", key=k)
    # Nobody may file claims about the tenant until the tenant approves them.
    failed = ankr("identity", "attest", "--subject", ADDR[TENANT], "--type", "late", "--payload", "x", "--private-key", LANDLORD,
                  "--rpc", node.url, check=False)
    assert failed.returncode == 1 and "has not approved" in failed.stderr
    cli(node, "identity", "approve-issuer", "--issuer", ADDR[LANDLORD], key=TENANT)
    shown = as_json(cli(node, "identity", "show", ADDR[TENANT]))
    assert shown["registered"] and len(bytes.fromhex(shown["encryptionKey"][2:])) == 65

    ids = []
    for month, kind in (("01", "on-time"), ("02", "on-time"), ("03", "late"), ("04", "on-time")):
        out = as_json(cli(node, "identity", "attest", "--subject", ADDR[TENANT], "--type", kind,
                          "--payload", f"rent 2026-{month}: 1200 ANKR, {kind}", key=LANDLORD))
        assert set(out["sealedFor"]) == {ADDR[TENANT], ADDR[LANDLORD]}
        ids.append(out["claimId"])
    # A score is a relying party's view: the lender counts the landlord's claims once it trusts the landlord.
    def score():
        out = as_json(cli(node, "identity", "score", ADDR[TENANT], "--relying-party", ADDR[LENDER]))
        return out["score"], out["onTime"], out["late"]
    assert score() == (0, 0, 0)
    cli(node, "identity", "trust-issuer", "--issuer", ADDR[LANDLORD], key=LENDER)
    assert score() == (712, 3, 1)  # 300 + floor(550 * 3/4)
    mine = as_json(cli(node, "identity", "score", ADDR[TENANT], "--relying-party", ADDR[TENANT]))
    assert mine["score"] == 0, "the tenant's view of itself is no score"

    # The tenant reads its whole history; a lender without a grant and a stranger see nothing.
    mine = claims(node, TENANT, ADDR[TENANT])
    assert [c["payload"] for c in mine] == ["rent 2026-01: 1200 ANKR, on-time", "rent 2026-02: 1200 ANKR, on-time",
                                             "rent 2026-03: 1200 ANKR, late", "rent 2026-04: 1200 ANKR, on-time"]
    assert claims(node, LENDER, ADDR[TENANT]) == [] and claims(node, STRANGER, ADDR[TENANT]) == []
    # Storage is public: a stranger pretending to be the tenant in eth_call gets the ciphertexts, and nothing readable.
    identity = w3.eth.contract(address=IDENTITY, abi=json.loads(ankr("identity", "abi").stdout))
    raw = identity.functions.claims(ADDR[TENANT]).call({"from": ADDR[TENANT]})
    assert len(raw[6]) == 4 and all(b"rent" not in sealed and len(sealed) > 93 for sealed in raw[6])

    # A grant for on-time payments re-seals those to the lender; late ones stay hidden.
    granted = cli(node, "identity", "grant", "--viewer", ADDR[LENDER], "--type", "on-time", key=TENANT)
    assert "3 existing claim(s)" in granted.stdout
    seen = claims(node, LENDER, ADDR[TENANT])
    assert [c["payload"] for c in seen] == ["rent 2026-01: 1200 ANKR, on-time", "rent 2026-02: 1200 ANKR, on-time",
                                             "rent 2026-04: 1200 ANKR, on-time"]
    # A new on-time claim is sealed to the lender directly.
    out = as_json(cli(node, "identity", "attest", "--subject", ADDR[TENANT], "--type", "on-time", "--payload", "rent 2026-05", key=LANDLORD))
    assert ADDR[LENDER] in out["sealedFor"]
    cli(node, "identity", "revoke-grant", "--viewer", ADDR[LENDER], "--type", "on-time", key=TENANT)
    assert claims(node, LENDER, ADDR[TENANT]) == []

    # Only the issuer revokes: the tenant cannot erase a late payment.
    failed = ankr("identity", "revoke", "--claim", ids[2], "--private-key", TENANT, "--rpc", node.url, check=False)
    assert failed.returncode == 1 and failed.stderr.count("\n") == 1 and "only the issuer" in failed.stderr
    assert score() == (740, 4, 1)
    cli(node, "identity", "revoke", "--claim", ids[0], key=LANDLORD)
    assert score() == (712, 3, 1)


def test_assets_are_promoted_valued_by_the_oracle_transferred_and_burned_by_their_owners(oracle_chain):
    node, w3, source, tmp = oracle_chain
    for k in (LANDLORD, STRANGER):
        ankr("send", "--to", ADDR[k], "--value", "5ankr", "--private-key", DEV_KEY, "--rpc", node.url)
    assert http(node, "GET", "/v1/assets/1001")[0] == 404
    assert http(node, "GET", "/v1/assets/flat-12")[0] == 400

    put = as_json(cli(node, "asset", "put", "1001", "--metadata", "apartment 12, 5th Avenue: deed #A-77", key=LANDLORD))
    assert (put["owner"], put["status"]) == (ADDR[LANDLORD], "active")
    assert put["metadataHash"] == "0x" + Web3.keccak(text="apartment 12, 5th Avenue: deed #A-77").hex().removeprefix("0x")

    # The valuation is a NOS answer from an HTTPS source, delivered by a real relay.
    source.routes["/price"] = (200, b'{"apartment": {"usd": "412500.50"}}')
    d = relay(node, tmp)
    try:
        answer = request(node, "--url", source.url("/price"), "--path", "/apartment/usd", "--decimals", "2", "--wait", key=ALICE)
    finally:
        d.stop()
    assert answer["value"] == "41250050"
    valued = as_json(cli(node, "asset", "put", "1001", "--metadata", "apartment 12, 5th Avenue: deed #A-77",
                         "--valuation-request", answer["id"], key=LANDLORD))
    assert (valued["valuation"], valued["valuationRequest"]) == ("41250050", answer["id"])

    # Another key cannot change, move or burn it: the CLI stops at the node's estimate (one line on stderr) ...
    for args in (["put", "1001", "--metadata", "mine now"], ["transfer", "1001", "--to", ADDR[STRANGER]], ["delete", "1001"]):
        r = ankr("asset", *args, "--private-key", STRANGER, "--rpc", node.url, check=False)
        assert r.returncode == 1 and "belongs to" in r.stderr and r.stderr.count("\n") == 1, r.stderr
    # ... and a transaction signed anyway is refused by the API with 403, before it reaches the pool.
    assets = w3.eth.contract(address=Web3.to_checksum_address("0x00000000000000000000000000000000000a0005"),
                             abi=json.loads(ankr("asset", "abi").stdout))
    nonce = w3.eth.get_transaction_count(ADDR[STRANGER])
    for fn in (assets.functions.put(1001, b"\x01" * 32, 0), assets.functions.transfer(1001, ADDR[STRANGER]), assets.functions.burn(1001)):
        tx = fn.build_transaction({"from": ADDR[STRANGER], "nonce": nonce, "gas": 300_000, "maxFeePerGas": 10**10,
                                   "maxPriorityFeePerGas": 1, "chainId": w3.eth.chain_id})
        raw = Account.sign_transaction(tx, STRANGER).raw_transaction
        path = "/v1/assets/1001" + ("/transfer" if fn.fn_name == "transfer" else "")
        method = {"put": "PUT", "transfer": "POST", "burn": "DELETE"}[fn.fn_name]
        status, body = http(node, method, path, {"transaction": "0x" + raw.hex().removeprefix("0x")})
        assert status == 403 and "belongs to" in body["error"]["message"], body
    assert w3.eth.get_transaction_count(ADDR[STRANGER], "pending") == nonce, "nothing reached the pool"
    # A body that is not a signed transaction for this asset is refused before it reaches the pool.
    assert http(node, "PUT", "/v1/assets/1001", {"transaction": "0x1234"})[0] == 400
    assert http(node, "DELETE", "/v1/assets/1001", {"nothing": 1})[0] == 400

    moved = as_json(cli(node, "asset", "transfer", "1001", "--to", ADDR[STRANGER], key=LANDLORD))
    assert moved["owner"] == ADDR[STRANGER]
    burned = as_json(cli(node, "asset", "delete", "1001", key=STRANGER))
    assert burned["status"] == "burned"
    assert [h["change"] for h in burned["history"]] == ["promoted", "valued", "transferred", "burned"]
    assert burned["history"][1]["valuation"] == "41250050" and burned["history"][2]["to"] == ADDR[STRANGER]
    again = ankr("asset", "put", "1001", "--metadata", "x", "--private-key", LANDLORD, "--rpc", node.url, check=False)
    assert again.returncode == 1 and "burned" in again.stderr
    status, body = http(node, "GET", "/v1/assets/0x3e9")
    assert status == 200 and body["status"] == "burned" and body["owner"] == ADDR[STRANGER]
