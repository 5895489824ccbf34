"""The real-estate dApp on its own application chain (white paper §3.1), with real processes: a main chain, a
real-estate application chain and its operator's node, an oracle relay serving that chain from an HTTPS source. The
lease and its rent live on the application chain (ChainLease.vy); each payment reaches the tenant's main-chain
identity as a child→main message that LeaseRecords.vy consumes once its block is final. A tenant who forges an
on-time record from a contract of its own gets nothing."""
import json
import time

import pytest
from eth_account import Account
from web3 import Web3

from conftest import ankr, wait_for
from test_appchain import BRIDGE, KEYS as CHAIN_KEYS, app_chain_relay, https_source, main_chain, registered_app_chain, send_main
from test_evm_vyper import Wallet

ETHER = 10**18
KEYS = {name: "0x" + format(i + 0x51, "02x") * 32 for i, name in enumerate(("landlord", "tenant", "lender", "stranger"))}
ADDR = {name: Account.from_key(k).address for name, k in KEYS.items()}


def test_a_lease_on_a_real_estate_chain_builds_the_tenants_credit_history_on_the_main_chain(tmp_path):
    source = https_source(tmp_path)
    source.routes["/rent"] = (200, b'{"flat12": {"monthly": "2.1"}}')
    main = main_chain(tmp_path, window=4, oracle=True)
    app = relay = None
    try:
        app, w3, main_w3, root, bridge = registered_app_chain(tmp_path, main, profile="real-estate", profile_gas=2_000_000)

        def run(node, *args, who, check=True):
            r = ankr(*args, "--private-key", KEYS[who], "--rpc", node.url, check=False)
            assert not check or r.returncode == 0, (args, r.stderr)
            return r

        def lease_cli(*args, who, check=True):
            r = ankr("dapp", "lease", *args, "--app-rpc", app.url, "--private-key", KEYS[who], "--rpc", main.url, check=False)
            assert not check or r.returncode == 0, (args, r.stderr)
            return json.loads(r.stdout) if check else r

        def refused(why, *args, who):
            r = lease_cli(*args, who=who, check=False)
            assert r.returncode == 1 and why in r.stderr and r.stderr.count("\n") == 1, (args, r.stderr)

        # Everyone has ANKR on the main chain (identities, records) and on the application chain (the lease, rent, gas).
        for who in ("landlord", "tenant", "lender", "stranger"):
            ankr("send", "--to", ADDR[who], "--value", "5ankr", "--private-key", CHAIN_KEYS["alice"], "--rpc", main.url)
        for who, value in (("landlord", 2), ("tenant", 10), ("stranger", 2)):
            assert send_main(main_w3, root.functions.deposit(ADDR[who]), CHAIN_KEYS["alice"], value=value * ETHER).status == 1
        assert send_main(main_w3, root.functions.deposit(Account.from_key(CHAIN_KEYS["bob"]).address), CHAIN_KEYS["bob"], value=5 * ETHER).status == 1
        wait_for(lambda: w3.eth.get_balance(Account.from_key(CHAIN_KEYS["bob"]).address) == 5 * ETHER, 30, "the deposits")

        # The chain's own oracle: the relay's enclave, registered on the main chain, is announced to the chain and trusted there.
        relay, _ = app_chain_relay(tmp_path, app, main, CHAIN_KEYS["bob"])
        for who in ("landlord", "tenant", "lender"):
            run(main, "identity", "register", "--metadata", f"{who} profile", who=who)
        market = json.loads(run(app, "oracle", "request", "--url", source.url("/rent"), "--path", "/flat12/monthly", "--decimals", "18", "--wait",
                                who="landlord").stdout)
        assert market["error"] == 0 and market["value"] == str(21 * ETHER // 10)

        now = int(time.time())
        offer = ["--property", "apartment 12, 5th Avenue", "--tenant", ADDR["tenant"], "--market-request", market["id"],
                 "--first-due", str(now - 100_000), "--period", "100000", "--months", "3", "--grace", "3600"]
        # The chain's oracle bounds the rent to the wei (110% of 2.1 is allowed, one wei more is not), before the main chain is touched.
        main_nonce = main_w3.eth.get_transaction_count(ADDR["landlord"])
        refused("more than 10% above the market rent", "offer", *offer, "--rent", str(231 * ETHER // 100 + 1), who="landlord")
        assert main_w3.eth.get_transaction_count(ADDR["landlord"]) == main_nonce
        made = lease_cli("offer", *offer, "--rent", "2ankr", who="landlord")
        lease, records = made["lease"], made["records"]
        assert made["marketRent"] == str(21 * ETHER // 10) and w3.eth.get_code(lease) and main_w3.eth.get_code(records)
        # The tenant signs only the terms it agreed to, and a lease already overdue only knowingly; only the dApp's own code.
        sign = ["sign", "--lease", lease, "--rent", "2ankr"]
        refused("only the tenant signs", *sign, "--accept-overdue", who="stranger")
        refused("is not signed", "pay", "--lease", lease, who="tenant")
        refused(f"asks {2 * ETHER} wei a period, not the {3 * ETHER} you agreed to", "sign", "--lease", lease, "--rent", "3ankr", "--accept-overdue",
                who="tenant")
        refused("sign with --accept-overdue", *sign, who="tenant")
        refused("is not a ChainLease", "sign", "--lease", ADDR["landlord"], "--rent", "2ankr", who="tenant")
        signed = lease_cli(*sign, "--accept-overdue", who="tenant")
        assert (signed["rent"], signed["firstDue"], signed["period"], signed["grace"]) == (str(2 * ETHER), now - 100_000, 100_000, 3600)
        refused("is signed", *sign, "--accept-overdue", who="tenant")

        # Month 0 is overdue: the landlord reports it, once (a late record even if the tenant never paid); then the tenant pays
        # month 0 (late) and month 1 (due now, within the grace); month 2 is not overdue.
        overdue = lease_cli("report-overdue", "--lease", lease, who="landlord")
        assert overdue["month"] == 0
        refused("this month is reported", "report-overdue", "--lease", lease, who="landlord")
        refused("only the landlord reports", "report-overdue", "--lease", lease, who="tenant")
        landlord_before = w3.eth.get_balance(ADDR["landlord"])
        paid = [lease_cli("pay", "--lease", lease, who="tenant") for _ in range(2)]
        assert [(p["month"], p["onTime"], p["amount"]) for p in paid] == [(0, False, str(2 * ETHER)), (1, True, str(2 * ETHER))]
        assert w3.eth.get_balance(ADDR["landlord"]) == landlord_before + 4 * ETHER, "each rent forwarded to the landlord, to the wei"
        refused("only the tenant pays", "pay", "--lease", lease, who="stranger")
        refused("the month is not overdue", "report-overdue", "--lease", lease, who="landlord")

        # The tenant forges an on-time record for month 2 from a contract of its own: the root proves and pays the message,
        # but the records contract consumes only its lease's messages.
        forger, _ = Wallet(w3, KEYS["tenant"]).deploy("Messenger.vy", Web3.to_checksum_address(BRIDGE))
        fake = Web3().codec.encode(["uint256", "bool", "uint256", "uint256"], [2, True, now, 2 * ETHER])
        sent = Wallet(w3, KEYS["tenant"]).send(forger.functions.send(records, fake))
        assert sent.status == 1
        fake_index = bridge.events.MessageSent().process_receipt(sent)[0].args.index
        wait_for(lambda: root.functions.latestBlock().call() >= sent.blockNumber and root.functions.getCommitment(sent.blockNumber).call()[3], 60,
                 "the forged message's block to be final")
        ankr("appchain", "finalize", "--chain", "1", "--tx", sent.transactionHash.hex(), "--app-rpc", app.url, "--private-key", KEYS["stranger"],
             "--rpc", main.url)
        records_abi = json.load(open("dapps/build/LeaseRecords.json"))["abi"]
        on_main = main_w3.eth.contract(address=records, abi=records_abi)
        with pytest.raises(Exception, match=f"message {fake_index} is not from {lease} to {records} with that data"):
            on_main.functions.recordPayment(fake_index, fake, b"\x00" * 32, [], []).call({"from": ADDR["tenant"]})
        refused("is not a rent payment of", "record", "--lease", lease, "--tx", sent.transactionHash.hex(), who="tenant")

        # Either party records once the block is final: proven on the main chain, then attested. A tenant who withdraws its
        # approval of the records contract cannot hold the late month back: it is recorded there, without a claim.
        refused("only the landlord or the tenant records payments", "record", "--lease", lease, "--tx", paid[0]["transaction"], who="stranger")
        run(main, "identity", "revoke-issuer", "--issuer", records, who="tenant")
        late = lease_cli("record", "--lease", lease, "--tx", overdue["transaction"], "--wait", "60", who="landlord")
        assert (late["month"], late["onTime"], late["paidAt"], late["claimId"]) == (0, False, 0, "0")
        refused("month 0 of", "record", "--lease", lease, "--tx", paid[0]["transaction"], who="landlord")
        run(main, "identity", "approve-issuer", "--issuer", records, who="tenant")
        on_time = lease_cli("record", "--lease", lease, "--tx", paid[1]["transaction"], "--wait", "60", who="tenant")
        assert (on_time["month"], on_time["onTime"], on_time["sealedFor"]) == (1, True, [ADDR["tenant"]]) and on_time["claimId"] != "0"
        refused("month 1 of", "record", "--lease", lease, "--tx", paid[1]["transaction"], who="landlord")
        status = lease_cli("status", "--lease", lease, who="lender")
        assert (status["signed"], status["onTime"], status["late"], [m["recorded"] for m in status["paid"]]) == (True, 1, 1, [True, True])

        # The credit history on the main chain, for a lender that trusts this lease's records: the on-time claim (the late
        # month, recorded while the tenant had withdrawn its approval, is in the records contract's lateCount only);
        # the details only for what the tenant grants.
        run(main, "identity", "trust-issuer", "--issuer", records, who="lender")
        score = json.loads(run(main, "identity", "score", ADDR["tenant"], "--relying-party", ADDR["lender"], who="lender").stdout)
        assert (score["onTime"], score["late"]) == (1, 0)
        assert json.loads(run(main, "identity", "claims", "--subject", ADDR["tenant"], who="lender").stdout) == []
        run(main, "identity", "grant", "--viewer", ADDR["lender"], "--type", "on-time", who="tenant")
        seen = json.loads(run(main, "identity", "claims", "--subject", ADDR["tenant"], who="lender").stdout)
        assert [c["payload"].split(":")[0] for c in seen] == [f"rent for month 1 of lease {lease} on application chain 1"]
    finally:
        for p in (relay, app):
            if p:
                p.stop()
        main.stop()
        source.shutdown()
