"""Authenticated private sources and the payment-proof datagram with real processes: a dev node, `ankr oracle run`
(relay + simulated enclave) and a local HTTPS "bank" that requires a bearer token and serves Open Banking payment
statuses. Rent paid in fiat is proven by the bank's datagram and recorded on the tenant's identity; the token is
found nowhere outside the enclave: no block, transaction, log, receipt, RPC answer, relay log or node log holds it."""
import json
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from eth_abi import encode as abi_encode
from eth_account import Account
from eth_hash.auto import keccak
from web3.logs import DISCARD

from conftest import DEV_KEY, ankr, wait_for
from test_oracle import ALICE, ALICE_ADDR, NOS, oracle_chain, relay, request  # noqa: F401 (fixture)
from test_plasma_chain import rpc

TOKEN = "obie-7Qk2xR9vLm4Tz8Wc1Np6Hs3Jd5Fg0Yb"
PAYMENTS = "/open-banking/v3.1/pisp/domestic-payments/"
ACCOUNT = "GB29 NWBK 6016 1331 9268 19"
ETHER = 10**18
KEYS = {name: "0x" + format(i + 0x51, "02x") * 32 for i, name in enumerate(("landlord", "tenant", "lender"))}
ADDR = {name: Account.from_key(k).address for name, k in KEYS.items()}


def account_hash(identification, scheme="UK.OBIE.IBAN", secondary=""):
    return "0x" + keccak(abi_encode(["string", "string", "string"], [scheme, identification, secondary])).hex()


def payment(status="AcceptedCreditSettlementCompleted", amount="1200.00", currency="GBP", account=ACCOUNT, reference="FLAT12-0",
            time="2026-12-01T09:30:00+00:00"):
    """An Open Banking v3.1 domestic-payment status response."""
    return {"Data": {"DomesticPaymentId": "58923", "ConsentId": "7290", "Status": status, "CreationDateTime": "2026-12-01T09:29:00+00:00",
                     "StatusUpdateDateTime": time,
                     "Initiation": {"InstructionIdentification": "ACME412", "EndToEndIdentification": "FRESCO.21302.GFX.20",
                                    "InstructedAmount": {"Amount": amount, "Currency": currency},
                                    "CreditorAccount": {"SchemeName": "UK.OBIE.IBAN", "Identification": account, "Name": "Landlord"},
                                    "RemittanceInformation": {"Reference": reference, "Unstructured": "rent"}}},
            "Links": {"Self": "https://bank.example" + PAYMENTS + "58923"}, "Meta": {}}


class Bank(ThreadingHTTPServer):
    """HTTPS: 401 without `Authorization: Bearer TOKEN`, else the payment status of PAYMENTS<id> as JSON; logs who asked."""

    def __init__(self, cert, key):
        self.payments, self.seen = {}, []
        super().__init__(("127.0.0.1", 0), BankHandler)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        self.socket = ctx.wrap_socket(self.socket, server_side=True)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def host(self):
        return f"localhost:{self.server_address[1]}"

    def url(self, pid):
        return f"https://{self.host}{PAYMENTS}{pid}"


class BankHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.seen.append((self.path, self.headers.get("Authorization")))
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            return self.reply(401, {"Code": "401", "Message": "Unauthorized"})
        pid = self.path.removeprefix(PAYMENTS)
        if not self.path.startswith(PAYMENTS) or pid not in self.server.payments:
            return self.reply(404, {"Code": "404", "Message": "Not found"})
        self.reply(200, self.server.payments[pid])

    def reply(self, status, obj):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def bank(oracle_chain):
    node, w3, source, tmp = oracle_chain
    b = Bank(str(tmp / "cert.pem"), str(tmp / "key.pem"))
    try:
        yield b
    finally:
        b.shutdown()


def run(node, *args, who=None, key=None, check=True):
    extra = ["--private-key", key or KEYS[who]] if (who or key) else []
    r = ankr(*args, *extra, "--rpc", node.url, check=False)
    if check:
        assert r.returncode == 0, (args, r.stderr)
    return r


def js(node, *args, who=None, key=None):
    return json.loads(run(node, *args, who=who, key=key).stdout)


def assert_token_nowhere(node, w3, tmp, token=TOKEN):
    """Every block's transactions, every receipt and log, the NOS request/response RPC answers of every request and the
    relay and node logs: not the token, in text or hex. Returns how many transactions were searched."""
    texts = [token, token.encode().hex()]

    def clean(obj):
        text = json.dumps(obj)
        return not any(t in text for t in texts)

    head = w3.eth.block_number
    checked = 0
    for n in range(head + 1):
        block = rpc(node.url, "eth_getBlockByNumber", [hex(n), True])["result"]
        assert clean(block), n
        for tx in block["transactions"]:
            assert clean(rpc(node.url, "eth_getTransactionReceipt", [tx["hash"]])["result"]), tx["hash"]
            checked += 1
    logs = rpc(node.url, "eth_getLogs", [{"fromBlock": "0x0", "toBlock": hex(head)}])["result"]
    assert logs and clean(logs)
    count = int(rpc(node.url, "nos_requestCount", [])["result"], 16)
    assert count > 0
    for rid in range(1, count + 1):
        for method in ("nos_getRequest", "nos_getResponse"):
            assert clean(rpc(node.url, method, [hex(rid)])), (method, rid)
        for view in (b"getRequest(uint256)", b"getResponse(uint256)"):
            call = {"to": w3.to_checksum_address(NOS), "data": "0x" + (keccak(view)[:4] + rid.to_bytes(32, "big")).hex()}
            assert clean(rpc(node.url, "eth_call", [call, "latest"])), (view, rid)
    for log in (tmp / "relay.log", tmp / "chain" / "node.log"):
        data = log.read_bytes()
        assert data and not any(t.encode() in data for t in texts), log
    return checked


def test_the_bank_answers_a_signed_payment_proof_with_the_token_sealed_to_the_enclave(oracle_chain, bank):
    node, w3, _, tmp = oracle_chain
    bank.payments["p1"] = payment()
    bank.payments["p2"] = payment(status="AcceptedSettlementInProcess")
    # Only the debtor's side finished: the money can still be returned, so it is no proof.
    bank.payments["p4"] = payment(status="AcceptedSettlementCompleted")
    # The token from a file, not the command line (where ps and shell history would show it).
    token_file = tmp / "bank-token.headers"
    token_file.write_text(f"Authorization: Bearer {TOKEN}\n")
    d = relay(node, tmp)
    try:
        args = ["--reference", "FLAT12-0", "--amount", "1200", "--currency", "GBP", "--creditor-account", "GB29NWBK60161331926819"]
        yes = js(node, "oracle", "payment", "--url", bank.url("p1"), *args, "--header-file", str(token_file), "--wait", key=ALICE)
        assert (yes["settled"], yes["amountMinor"], yes["currency"], yes["reference"]) == (True, "120000", "GBP", "FLAT12-0")
        assert yes["settledAt"] == 1796117400 and yes["bank"] == bank.host
        assert yes["creditorAccountHash"] == account_hash("GB29NWBK60161331926819")
        debtor_side = js(node, "oracle", "payment", "--url", bank.url("p4"), *args, "--header-file", str(token_file), "--wait", key=ALICE)
        assert debtor_side["settled"] is False
        # Another scheme than the bank reports (the roll-number attack needs the scheme and secondary id compared): no.
        other_scheme = js(node, "oracle", "payment", "--url", bank.url("p1"), *args, "--creditor-scheme", "UK.OBIE.SortCodeAccountNumber",
                          "--header-file", str(token_file), "--wait", key=ALICE)
        assert other_scheme["settled"] is False
        assert "ciphertext" in yes, "the answer was sealed to the requester"
        # Someone else reads only ciphertext.
        other = json.loads(ankr("oracle", "status", yes["id"], "--private-key", DEV_KEY, "--rpc", node.url).stdout)
        assert "settled" not in other and other["ciphertext"]
        # Not yet settled: a signed "no".
        pending = js(node, "oracle", "payment", "--url", bank.url("p2"), *args, "--header", f"Authorization: Bearer {TOKEN}", "--wait",
                     "--public-answer", key=ALICE)
        assert (pending["settled"], pending["settledAt"]) == (False, 0) and "ciphertext" not in pending
        # A wrong token: the bank's 401 is its own error, with no cause (the request is private).
        wrong = run(node, "oracle", "payment", "--url", bank.url("p1"), *args, "--header", "Authorization: Bearer not-the-token", "--wait",
                    key=ALICE, check=False)
        assert wrong.returncode == 1 and "sourceUnauthorized" in wrong.stderr, wrong.stderr
        assert json.loads(wrong.stdout)["errorName"] == "sourceUnauthorized"
        # The bank saw the token; it went in a header, on TLS, from the enclave only.
        assert (PAYMENTS + "p1", f"Bearer {TOKEN}") in bank.seen
        # A header that would inject another one never leaves the client.
        bad = run(node, "oracle", "payment", "--url", bank.url("p1"), *args, "--header", "Host: evil.example", key=ALICE, check=False)
        assert bad.returncode == 1 and "Host header" in bad.stderr
        # A private single request with a bearer header reads an authenticated JSON source too.
        bank.payments["p3"] = payment(amount="42.00")
        value = request(node, "--url", bank.url("p3"), "--path", "/Data/Initiation/InstructedAmount/Amount", "--decimals", "2", "--private",
                        "--header", f"Authorization: Bearer {TOKEN}", "--wait")
        assert value["value"] == "4200"
    finally:
        d.stop()
    assert assert_token_nowhere(node, w3, tmp) > 5


def test_rent_paid_in_fiat_is_proven_by_the_bank_and_recorded_on_the_tenants_identity(oracle_chain, bank):
    node, w3, source, tmp = oracle_chain
    for who in ADDR:
        ankr("send", "--to", ADDR[who], "--value", "50ankr", "--private-key", DEV_KEY, "--rpc", node.url)
    for who in ("landlord", "tenant", "lender"):
        run(node, "identity", "register", "--metadata", f"{who} profile", who=who)
    run(node, "asset", "put", "3001", "--metadata", "flat 12, fiat rent", who="landlord")
    source.routes["/rent"] = (200, b'{"monthly": "2.0"}')
    d = relay(node, tmp)
    try:
        market = request(node, "--url", source.url("/rent"), "--path", "/monthly", "--decimals", "18", "--wait")
        import time
        now = int(time.time())
        # Month 0 is due from a day ago (so a settlement now is within the grace), month 1 long ago (a settlement now is late).
        lease = ["--asset", "3001", "--tenant", ADDR["tenant"], "--market-request", market["id"], "--first-due", str(now - 86_400),
                 "--period", "1", "--months", "4", "--grace", "400000000", "--payments-chain", "1", "--rent", "2ankr"]
        agreement = js(node, "dapp", "rental", "offer", *lease, who="landlord")["agreement"]
        terms = ["--agreement", agreement, "--amount", "1200.00", "--currency", "GBP", "--bank", bank.host, "--creditor-account", ACCOUNT,
                 "--reference", "FLAT12"]
        r = run(node, "dapp", "rental", "fiat-terms", *terms, who="tenant", check=False)
        assert r.returncode == 1 and "only the landlord" in r.stderr
        set_terms = js(node, "dapp", "rental", "fiat-terms", *terms, who="landlord")
        assert set_terms["amountMinor"] == "120000"
        js(node, "dapp", "rental", "sign", "--agreement", agreement, who="tenant")
        r = run(node, "dapp", "rental", "fiat-terms", *terms, who="landlord", check=False)
        assert r.returncode == 1 and "the lease is signed" in r.stderr
        abi = json.load(open("dapps/build/RentalAgreement.json"))["abi"]
        rental = w3.eth.contract(address=agreement, abi=abi)
        # Month m's reference: the prefix, then hex bound to this lease and m; 18 characters, what Faster Payments keeps.
        refs = [rental.functions.fiatReferenceFor(m).call() for m in range(4)]
        assert all(len(r) == 18 and r.startswith("FLAT12") and r == r.upper() for r in refs) and len(set(refs)) == 4
        assert refs[0][6:] == keccak(bytes.fromhex(agreement[2:]) + (0).to_bytes(32, "big")).hex().upper()[:12]

        prove = ["dapp", "rental", "prove-fiat", "--agreement", agreement, "--creditor-account", ACCOUNT, "--header", f"Authorization: Bearer {TOKEN}"]
        # Wrong amount, not settled, wrong reference, another account, another bank's answer: nothing is recorded.
        bank.payments["short"] = payment(amount="1100.00")
        bank.payments["short"] = payment(amount="1100.00", reference=refs[0])
        bank.payments["pending"] = payment(status="Pending", reference=refs[0])
        bank.payments["other-month"] = payment(reference=refs[1])
        for pid, why in (("short", "settled=false, 110000 GBP"), ("pending", "settled=false"), ("other-month", f"reference {refs[1]}")):
            r = run(node, *prove, "--month", "0", "--url", bank.url(pid), who="tenant", check=False)
            assert r.returncode == 1 and "does not prove month 0's rent" in r.stderr and why in r.stderr, r.stderr
        # The wrong token: the oracle's error, delivered to the lease, which records nothing.
        r = run(node, "dapp", "rental", "prove-fiat", "--agreement", agreement, "--creditor-account", ACCOUNT, "--month", "0",
                "--url", bank.url("short"), "--header", "Authorization: Bearer wrong", who="tenant", check=False)
        assert r.returncode == 1 and "sourceUnauthorized" in r.stderr, r.stderr
        r = run(node, *prove, "--month", "0", "--url", bank.url("short"), "--creditor-account", "GB00 0000", who="tenant", check=False)
        assert r.returncode == 1 and "not the account the lease names" in r.stderr
        # A "bank" the tenant runs answers settled for everything: the query is sealed, but the answer names the host the
        # enclave read, and the lease takes only its own bank's word.
        fake = Bank(str(tmp / "cert.pem"), str(tmp / "key.pem"))
        try:
            fake.payments["m0"] = payment(reference=refs[0])
            r = run(node, *prove, "--month", "0", "--url", fake.url("m0"), who="tenant", check=False)
            assert r.returncode == 1 and f"the bank says settled=true, 120000 GBP minor units, reference {refs[0]}" in r.stderr, r.stderr
        finally:
            fake.shutdown()
        assert not rental.functions.recorded(0).call() and not rental.functions.fiatProven(0).call()
        rejected = w3.eth.get_logs({"address": agreement, "fromBlock": 0, "topics": [
            "0x" + keccak(b"FiatProofRejected(uint256,uint256,uint64,string)").hex()]})
        reasons = [rental.events.FiatProofRejected().process_log(l)["args"] for l in rejected]
        assert [(a["error"], a["reason"]) for a in reasons] == [(0, "the bank does not say the transfer settled")] * 3 + [
            (9, "the oracle could not read the bank"), (0, "not the landlord's account at the lease's bank")]
        # A transfer with the right reference but settled before the lease began (a year ago) proves nothing.
        bank.payments["old"] = payment(reference=refs[1], time=time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(now - 365 * 86_400)))
        r = run(node, *prove, "--month", "1", "--url", bank.url("old"), who="tenant", check=False)
        assert r.returncode == 1 and "does not prove month 1's rent" in r.stderr, r.stderr
        last = rental.events.FiatProofRejected().process_log(w3.eth.get_logs({"address": agreement, "fromBlock": 0, "topics": [
            "0x" + keccak(b"FiatProofRejected(uint256,uint256,uint64,string)").hex()]})[-1])["args"]
        assert (last["month"], last["reason"]) == (1, "settled before the lease began")

        # The settled transfer of the rent, now: month 0 on time.
        bank.payments["m0"] = payment(reference=refs[0], time=time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime()))
        token_file = tmp / "bank-token.headers"
        token_file.write_text(f"Authorization: Bearer {TOKEN}\n")
        on_time = js(node, "dapp", "rental", "prove-fiat", "--agreement", agreement, "--creditor-account", ACCOUNT, "--header-file", str(token_file),
                     "--month", "0", "--url", bank.url("m0"), who="tenant")
        assert on_time["onTime"] is True and on_time["sealedFor"] == [ADDR["tenant"]]
        assert rental.functions.recorded(0).call() and rental.functions.onTimeCount().call() == 1
        status = js(node, "dapp", "rental", "status", "--agreement", agreement)
        assert status["fiat"] == {"amountMinor": "120000", "currency": "GBP", "bank": bank.host, "reference": "FLAT12"}
        proven_tx = w3.eth.get_transaction(w3.eth.get_logs({"address": agreement, "fromBlock": 0, "topics": [
            "0x" + keccak(b"FiatProofRequested(uint256,uint256,address)").hex()]})[-1]["transactionHash"])
        sealed = rental.decode_function_input(proven_tx["input"])[1]["sealed_query"]
        assert (status["onTime"], status["late"], [m["month"] for m in status["recorded"]]) == (1, 0, [0])
        r = run(node, *prove, "--month", "0", "--url", bank.url("m0"), who="landlord", check=False)
        assert r.returncode == 1 and "this month is recorded" in r.stderr
        # Every answer, accepted or rejected, ran the lease's callback to the end (a reverted one would leave its NOS refund
        # unattributed); the gas it took, for the record.
        results = w3.eth.get_logs({"address": w3.to_checksum_address(NOS), "fromBlock": 0, "topics": [
            "0x" + keccak(b"CallbackResult(uint256,bool,uint256)").hex()]})
        assert len(results) == 7 and all(l["data"][31] == 1 for l in results)
        gas = [int.from_bytes(l["data"][32:64], "big") for l in results]
        delivery = w3.eth.get_transaction_receipt(results[-1]["transactionHash"])
        print(f"payment-proof callback gas: rejected {gas[:-1]}, accepted {gas[-1]}; accepted delivery tx {delivery.gasUsed} gas")
        assert max(gas) < 200_000
        # Month 3 was due 86,397 s ago with a grace of 400,000,000 s: on time too; a settlement dated before 1970+due… is
        # impossible, so the late case is month 1 of a lease with no grace — covered by claimTypeFor below.
        assert rental.functions.claimTypeFor(1, now + 10**9).call() == 2

        # The claim is on the tenant's identity, readable by the tenant, counted for a lender that trusts the lease.
        mine = js(node, "identity", "claims", who="tenant")
        assert len(mine) == 1 and mine[0]["payload"].startswith("rent for month 0 of lease") and mine[0]["payload"].endswith("on time")
        run(node, "identity", "trust-issuer", "--issuer", agreement, who="lender")
        score = js(node, "identity", "score", ADDR["tenant"], "--relying-party", ADDR["lender"])
        assert (score["onTime"], score["late"]) == (1, 0)

        # Only NOS calls back, and only for a request the lease made.
        for caller in (ADDR["tenant"],):
            try:
                rental.functions.onPaymentProof(1, 0, b"").call({"from": caller})
                raise AssertionError("a forged callback was accepted")
            except Exception as e:
                assert "only NOS answers" in str(e), e

        # The fees the lease paid NOS and did not spend go back to whoever paid them.
        held = w3.eth.get_balance(agreement)
        assert held > 0
        before = w3.eth.get_balance(ADDR["tenant"])
        refund = js(node, "dapp", "rental", "withdraw-refund", "--agreement", agreement, who="tenant")
        receipt = w3.eth.get_transaction_receipt(refund["transaction"])
        assert int(refund["refund"]) == held
        assert w3.eth.get_balance(ADDR["tenant"]) == before + held - receipt.gasUsed * receipt.effectiveGasPrice
        assert w3.eth.get_balance(agreement) == 0

        nos = w3.eth.contract(address=w3.to_checksum_address(NOS), abi=json.load(open("abi/NOS.json")))
        # The tenant's sealed query copied into another lease of the same landlord (same prefix, account, bank): the envelope
        # names lease 1 as its requester, so the enclave refuses it (invalidParams) and lease 2 records nothing.
        run(node, "asset", "put", "3002", "--metadata", "flat 12, renewed", who="landlord")
        lease2 = js(node, "dapp", "rental", "offer", *[("3002" if a == "3001" else a) for a in lease], who="landlord")["agreement"]
        js(node, "dapp", "rental", "fiat-terms", *[(lease2 if a == agreement else a) for a in terms], who="landlord")
        js(node, "dapp", "rental", "sign", "--agreement", lease2, who="tenant")
        rental2 = w3.eth.contract(address=lease2, abi=abi)
        assert rental2.functions.fiatReferenceFor(0).call() != refs[0]
        cap = 2 * w3.eth.get_block("latest")["baseFeePerGas"]
        escrow = nos.functions.requiredEscrow(0x84, True, cap, 1).call()
        replay = transact(w3, "tenant", rental2.functions.proveFiatRent(0, sealed, cap), escrow)
        replay_id = rental2.events.FiatProofRequested().process_receipt(replay, errors=DISCARD)[0]["args"]["requestId"]
        wait_for(lambda: nos.functions.getResponse(replay_id).call()[0] == 2, 60, "the replayed request's answer")
        assert nos.functions.getResponse(replay_id).call()[1] == 1, "invalidParams"
        rejected2 = rental2.events.FiatProofRejected().process_log(w3.eth.get_logs({"address": lease2, "fromBlock": 0, "topics": [
            "0x" + keccak(b"FiatProofRejected(uint256,uint256,uint64,string)").hex()]})[-1])["args"]
        assert (rejected2["requestId"], rejected2["error"]) == (replay_id, 1) and not rental2.functions.fiatProven(0).call()

        # A request whose cap is below the base fee: the relay waits, and after 50 blocks the landlord cancels it; the escrow
        # (less NOS's cancellation fee) is credited to the tenant, who paid it.
        stuck_escrow = nos.functions.requiredEscrow(0x84, True, 1, 1).call()
        stuck = transact(w3, "tenant", rental.functions.proveFiatRent(2, sealed, 1), stuck_escrow)
        stuck_id = rental.events.FiatProofRequested().process_receipt(stuck, errors=DISCARD)[0]["args"]["requestId"]
        # The callback never reverts on a well-formed answer of another shape, so NOS's refund reaches the right payer:
        # an answer sealed to readers (abi(bytes[])) and one naming a 259-byte host are rejected, not reverted.
        for odd in (abi_encode(["bytes[]"], [[b"\x01" * 97]]),
                    abi_encode(["bool", "uint256", "string", "string", "uint64", "string", "bytes32"],
                               [True, 120000, "GBP", refs[2], now, "b" * 253 + ":65535", b"\x00" * 32])):
            rental.functions.onPaymentProof(stuck_id, 0, odd).call({"from": w3.to_checksum_address(NOS)})
        r = run(node, "dapp", "rental", "cancel-fiat", "--agreement", agreement, "--request", str(stuck_id), who="landlord", check=False)
        assert r.returncode == 1 and "50 blocks after" in r.stderr, r.stderr
        target = stuck["blockNumber"] + 50
        while w3.eth.block_number < target:
            transact(w3, "lender", None, 1)
        cancelled = js(node, "dapp", "rental", "cancel-fiat", "--agreement", agreement, "--request", str(stuck_id), who="landlord")
        assert 0 < int(cancelled["refund"]) <= stuck_escrow
        assert rental.functions.refundOf(ADDR["tenant"]).call() == int(cancelled["refund"]) == w3.eth.get_balance(agreement)
        assert nos.functions.getResponse(stuck_id).call()[0] == 3, "cancelled"
    finally:
        d.stop()
    assert assert_token_nowhere(node, w3, tmp) > 10


def transact(w3, who, fn, value=0):
    """Signs and sends `fn` (or, with fn None, a transfer of `value` to the sender itself) as `who`; returns the receipt."""
    base = {"from": ADDR[who], "value": value, "nonce": w3.eth.get_transaction_count(ADDR[who]), "chainId": w3.eth.chain_id}
    tx = fn.build_transaction(base) if fn is not None else {**base, "to": ADDR[who], "gas": 21_000,
                                                             "maxFeePerGas": 4 * w3.eth.get_block("latest")["baseFeePerGas"], "maxPriorityFeePerGas": 0}
    tx.pop("from", None)
    signed = Account.sign_transaction(tx, KEYS[who])
    receipt = w3.eth.wait_for_transaction_receipt(w3.eth.send_raw_transaction(signed.raw_transaction), timeout=60)
    assert receipt.status == 1, receipt
    return receipt
