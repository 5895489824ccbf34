"""The white paper's two dApps end to end on a dev node, through `ankr dapp` and the Vyper contracts
`make dapps` compiles: a lease with rent paid on a payments child chain and recorded as credit claims
that only granted viewers can read, and a loan-backed security whose waterfall pays every wei it
receives and nothing more, with regulators, rating agencies and the public each seeing their share."""
import json
import random
import time

from eth_account import Account
from web3 import Web3

from conftest import DEV_KEY, ankr
from test_oracle import ALICE, oracle_chain, relay, request  # noqa: F401 (fixture)
from test_plasma_chain import Daemon, rpc

ETHER = 10**18
NAMES = ("landlord", "tenant", "lender", "stranger", "op", "servicer", "regulator", "rater", "senior", "junior", "public")
KEYS = {name: "0x" + format(i + 0x31, "02x") * 32 for i, name in enumerate(NAMES)}
ADDR = {name: Account.from_key(k).address for name, k in KEYS.items()}


def run(node, *args, who=None, check=True):
    extra = ["--private-key", KEYS[who]] if who else []
    r = ankr(*args, *extra, "--rpc", node.url, check=False)
    if check:
        assert r.returncode == 0, (args, r.stderr)
    return r


def js(node, *args, who=None):
    return json.loads(run(node, *args, who=who).stdout)


def refused(node, why, *args, who=None):
    r = run(node, *args, who=who, check=False)
    assert r.returncode == 1 and why in r.stderr and r.stderr.count("\n") == 1, (args, r.stderr)


def fund(node, *names, amount="200ankr"):
    for n in names:
        ankr("send", "--to", ADDR[n], "--value", amount, "--private-key", DEV_KEY, "--rpc", node.url)


def test_a_lease_paid_on_a_child_chain_builds_a_credit_history_only_granted_viewers_read(oracle_chain, tmp_path):
    node, w3, source, tmp = oracle_chain
    fund(node, "landlord", "tenant", "lender", "stranger", "op")
    for who in ("landlord", "tenant", "lender"):
        run(node, "identity", "register", "--metadata", f"{who} profile", who=who)

    # The landlord lists the apartment; the oracle answers its market rent (2.1 ANKR a month) from a local HTTPS source.
    run(node, "asset", "put", "1001", "--metadata", "apartment 12, 5th Avenue", who="landlord")
    source.routes["/rent"] = (200, b'{"flat12": {"monthly": "2.1"}}')
    d = relay(node, tmp)
    try:
        market = request(node, "--url", source.url("/rent"), "--path", "/flat12/monthly", "--decimals", "18", "--wait", key=ALICE)
    finally:
        d.stop()
    assert market["value"] == str(21 * ETHER // 10)

    # The payments child chain, with the tenant's deposit on it.
    assert "child chain 1" in run(node, "plasma", "create", "--stake", "1ankr", who="op").stdout
    op = Daemon(["operator", "--chain", "1", "--private-key", KEYS["op"], "--rpc", node.url, "--http.port", "0", "--block-interval", "0.3",
                 "--deposit-confirmations", "0", "--datadir", str(tmp_path / "op")], tmp_path / "operator.log")
    try:
        url = op.url()
        run(node, "plasma", "deposit", "--chain", "1", "--value", "10ankr", who="tenant")
        now = int(time.time())
        lease = ["--asset", "1001", "--tenant", ADDR["tenant"], "--market-request", market["id"], "--first-due", str(now - 100_000),
                 "--period", "100000", "--months", "3", "--grace", "3600", "--payments-chain", "1"]
        # The rent is checked against the market to the wei: 110% of 2.1 is allowed, one wei more is not.
        refused(node, "more than 10% above", "dapp", "rental", "offer", *lease, "--rent", str(231 * ETHER // 100 + 1), who="landlord")
        refused(node, "only the owner", "dapp", "rental", "offer", *lease, "--rent", "2ankr", who="stranger")
        agreement = js(node, "dapp", "rental", "offer", *lease, "--rent", "2ankr", who="landlord")["agreement"]
        refused(node, "has not signed", "dapp", "rental", "record", "--agreement", agreement, "--month", "0", "--child-block", "1", "--operator", url, who="landlord")
        refused(node, "only the tenant", "dapp", "rental", "sign", "--agreement", agreement, who="stranger")
        signed = js(node, "dapp", "rental", "sign", "--agreement", agreement, who="tenant")
        # The lease is now a token the tenant holds: an asset whose metadata is the hash of the terms.
        lease = js(node, "asset", "get", signed["leaseAsset"])
        assert (lease["owner"], lease["status"]) == (ADDR["tenant"], "active")
        assert [h["change"] for h in lease["history"]] == ["promoted", "transferred"]
        rental = w3.eth.contract(address=agreement, abi=json.load(open("dapps/build/RentalAgreement.json"))["abi"])
        assert lease["metadataHash"] == "0x" + rental.functions.terms().call().hex().removeprefix("0x")
        assert int(signed["leaseAsset"]) == 2**160 + int(agreement, 16)

        # The contract checks the payment itself: the tenant's deposit, proven in deposit block 1, pays nobody's rent,
        # and a proof that does not place a transaction in its block is refused.
        deposit = rpc(url, "plasma_getBlock", ["0x1"])["result"]["transactions"][0]
        lone = json.loads(ankr("plasma", "util", "proof", "0", "0x" + "00" * 32).stdout)["proof"]
        for tx, proof_hex, why in ((deposit, lone, "not the tenant's"), (deposit, "0x" + "11" * 512, "Merkle proof")):
            try:
                rental.functions.recordPayment(0, 1, 0, bytes.fromhex(tx[2:]), bytes.fromhex(proof_hex[2:]), b"\x00" * 32, [], []).call(
                    {"from": ADDR["landlord"]})
                raise AssertionError("a payment that is not the rent was accepted")
            except Exception as e:
                assert why in str(e), e

        # Three months: the first due 100,000 s ago (late), the second due now (within the grace), the third in the future.
        kinds = []
        for month in range(3):
            paid = js(node, "dapp", "rental", "pay", "--agreement", agreement, "--operator", url, who="tenant")
            assert paid["amount"] == str(2 * ETHER) and paid["to"] == ADDR["landlord"]
            if month == 0:
                refused(node, "only the landlord or the tenant", "dapp", "rental", "record", "--agreement", agreement, "--month", "0",
                        "--child-block", str(paid["childBlock"]), "--operator", url, who="stranger")
                refused(node, "holds no payment", "dapp", "rental", "record", "--agreement", agreement, "--month", "0",
                        "--child-block", "1", "--operator", url, who="landlord")
            # Either party records: the payment is proven on chain, so the tenant need not rely on the landlord.
            rec = js(node, "dapp", "rental", "record", "--agreement", agreement, "--month", str(month), "--child-block", str(paid["childBlock"]),
                     "--operator", url, who="landlord" if month != 1 else "tenant")
            if month == 0:
                # The same payment cannot count for another month.
                refused(node, "recorded for another month", "dapp", "rental", "record", "--agreement", agreement, "--month", "1",
                        "--child-block", str(paid["childBlock"]), "--operator", url, who="landlord")
            assert rec["sealedFor"] == [ADDR["tenant"]]
            kinds.append(rec["onTime"])
        assert kinds == [False, True, True]

        refused(node, "this month is recorded", "dapp", "rental", "record", "--agreement", agreement, "--month", "2", "--child-block",
                str(paid["childBlock"]), "--operator", url, who="landlord")
        status = js(node, "dapp", "rental", "status", "--agreement", agreement)
        assert (status["signed"], status["onTime"], status["late"], len(status["recorded"])) == (True, 2, 1, 3)
        assert status["marketRent"] == str(21 * ETHER // 10)
        balance = json.loads(ankr("plasma", "balance", ADDR["landlord"], "--operator", url).stdout)
        assert int(balance["balance"]) == 6 * ETHER, "three rents arrived on the payments chain"
    finally:
        op.stop()

    # The credit history: 2 on time, 1 late → 300 + floor(550 · 2/3) = 666, for a lender that trusts this lease's records.
    run(node, "identity", "trust-issuer", "--issuer", agreement, who="lender")
    score = js(node, "identity", "score", ADDR["tenant"], "--relying-party", ADDR["lender"])
    assert (score["score"], score["onTime"], score["late"]) == (666, 2, 1)
    # The rent history itself is readable by the tenant; by the lender only for what the tenant grants.
    mine = js(node, "identity", "claims", who="tenant")
    assert len(mine) == 3 and all(c["payload"].startswith("rent for month") for c in mine)
    assert js(node, "identity", "claims", "--subject", ADDR["tenant"], who="lender") == []
    assert js(node, "identity", "claims", "--subject", ADDR["tenant"], who="stranger") == []
    run(node, "identity", "grant", "--viewer", ADDR["lender"], "--type", "on-time", who="tenant")
    seen = js(node, "identity", "claims", "--subject", ADDR["tenant"], who="lender")
    assert [c["payload"].split(",")[0] for c in seen] == [f"rent for month {m} of lease {agreement}: {2 * ETHER} wei from {ADDR['tenant']} to {ADDR['landlord']}"
                                                          for m in (1, 2)]
    assert all(c["payload"].endswith("on time") for c in seen)
    assert js(node, "identity", "claims", "--subject", ADDR["tenant"], who="stranger") == []


def test_a_loan_backed_security_pays_its_waterfall_to_the_wei_and_shows_each_role_its_share(oracle_chain):
    node, w3, _, _ = oracle_chain
    fund(node, "servicer", "regulator", "rater", "senior", "junior", "public")
    run(node, "identity", "register", "--metadata", "Financial Conduct Authority", who="regulator")
    pool = js(node, "dapp", "abs", "create", "--senior", "60", "--junior", "40", "--coupon-bps", "1000", "--fee-bps", "100",
              "--regulator", ADDR["regulator"], "--rating-agency", ADDR["rater"], who="servicer")["pool"]
    loans = [("2001", "60ankr", "700", "Jane Doe, 1 Main St, passport X123"), ("2002", "40ankr", "900", "Acme Bakery Ltd, reg. 998877")]
    for asset, principal, rate, borrower in loans:
        added = js(node, "dapp", "abs", "add-loan", "--pool", pool, "--asset", asset, "--principal", principal, "--rate-bps", rate,
                   "--term", "24", "--borrower", borrower, who="servicer")
        assert added["sealedFor"] == [ADDR["regulator"]]
        # The loan is an asset the pool owns, its terms committed in the metadata.
        assert js(node, "asset", "get", asset)["owner"] == Web3.to_checksum_address(pool)
    refused(node, "only the servicer", "dapp", "abs", "add-loan", "--pool", pool, "--asset", "2003", "--principal", "1ankr", "--rate-bps", "1",
            "--term", "1", "--borrower", "x", who="public")
    refused(node, "not fully sold", "dapp", "abs", "repay", "--pool", pool, "--loan", "0", "--value", "1ankr", who="servicer")

    servicer_before = w3.eth.get_balance(ADDR["servicer"])
    run(node, "dapp", "abs", "invest", "--pool", pool, "--tranche", "senior", "--tokens", "60", who="senior")
    run(node, "dapp", "abs", "invest", "--pool", pool, "--tranche", "junior", "--tokens", "25", who="junior")
    run(node, "dapp", "abs", "invest", "--pool", pool, "--tranche", "junior", "--tokens", "15", who="junior")
    refused(node, "not that many tokens", "dapp", "abs", "invest", "--pool", pool, "--tranche", "junior", "--tokens", "1", who="public")
    assert w3.eth.get_balance(ADDR["servicer"]) == servicer_before + 100 * ETHER, "the proceeds bought the loans"

    # The waterfall: 1% fee, then senior up to 66 ANKR (60 + 10% coupon), then junior; odd amounts leave a carry, never a lost wei.
    rng = random.Random(7)
    amounts = [50 * ETHER, 30 * ETHER, 10 * ETHER + 3] + [rng.randrange(1, 3 * ETHER) for _ in range(12)]
    fee = senior = junior = 0
    for i, amount in enumerate(amounts):
        split = js(node, "dapp", "abs", "repay", "--pool", pool, "--loan", str(i % 2), "--value", str(amount), who="servicer")
        f = amount * 100 // 10000
        s = min(amount - f, 66 * ETHER - senior)
        assert (int(split["fee"]), int(split["senior"]), int(split["junior"])) == (f, s, amount - f - s)
        fee, senior, junior = fee + f, senior + s, junior + amount - f - s
    assert senior == 66 * ETHER
    refused(node, "only the servicer", "dapp", "abs", "repay", "--pool", pool, "--loan", "0", "--value", "1ankr", who="senior")
    run(node, "dapp", "abs", "missed", "--pool", pool, "--loan", "1", who="servicer")

    abi = json.load(open("dapps/build/LoanPool.json"))["abi"]
    c = w3.eth.contract(address=Web3.to_checksum_address(pool), abi=abi)
    # Exact: junior holders earn floor((junior + carry) / 40) per token; the remainder is carried, and accounted for.
    per_token = junior // 40
    assert c.functions.claimable(ADDR["junior"]).call() == 40 * per_token
    assert c.functions.undistributed().call() == junior - 40 * per_token
    claims = {who: int(js(node, "dapp", "abs", "claim", "--pool", pool, who=who)["claimed"]) for who in ("senior", "junior", "servicer")}
    assert claims == {"senior": 66 * ETHER, "junior": 40 * per_token, "servicer": fee}
    assert sum(claims.values()) + c.functions.undistributed().call() == sum(amounts), "every wei paid in is paid out or carried"
    assert w3.eth.get_balance(Web3.to_checksum_address(pool)) == c.functions.undistributed().call()
    refused(node, "nothing to claim", "dapp", "abs", "claim", "--pool", pool, who="senior")

    # Roles: the public sees aggregates, the rating agency loan performance, the regulator everything, borrower included.
    public = js(node, "dapp", "abs", "view", "--pool", pool, who="public")
    assert public["role"] == "public" and "loans" not in public
    assert (public["aggregates"]["loans"], public["aggregates"]["totalRepaid"]) == (2, str(sum(amounts)))
    rater = js(node, "dapp", "abs", "view", "--pool", pool, who="rater")
    assert rater["role"] == "ratingAgency" and rater["loans"][1]["missed"] == "1" and "borrower" not in rater["loans"][0]
    regulator = js(node, "dapp", "abs", "view", "--pool", pool, who="regulator")
    assert [l["borrower"] for l in regulator["loans"]] == [b for *_, b in loans]
    assert [l["asset"] for l in regulator["loans"]] == ["2001", "2002"]
    # On chain the borrower data is only ciphertext: even read as the regulator, without its key nothing is readable.
    sealed = c.functions.borrowerData(0).call({"from": ADDR["regulator"]})
    assert len(sealed) > 93 and b"Jane" not in sealed
    for fn, who in ((c.functions.loanPerformance(0), "public"), (c.functions.loanDetails(0), "rater"), (c.functions.borrowerData(0), "rater")):
        try:
            fn.call({"from": ADDR[who]})
            raise AssertionError(f"{who} read a restricted view")
        except Exception as e:  # web3 raises ContractLogicError with the reason
            assert "only" in str(e), e
