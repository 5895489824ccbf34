"""Scheduled feeds with real processes: a dev node sealing a block per transaction (so the test moves
the chain and every round's due block is exact), `ankr oracle run` answering the rounds, a Vyper
contract called back every round, an asset whose valuation follows the feed through the asset API,
a relay killed and restarted between rounds, and a cancelled feed refunded to the wei."""
import json
import signal
import subprocess
import sys
import time

from eth_hash.auto import keccak

from conftest import DEV_ADDRESS, ankr, wait_for
from test_evm_vyper import Wallet
from test_identity_assets import http
from test_oracle import ALICE, ALICE_ADDR, MIN_FEE, NOS, RELAY_ADDR, oracle_chain, relay  # noqa: F401 (oracle_chain is a fixture)

DELIVER_SCHEDULED = keccak(b"deliverScheduled(uint256,uint32,bytes32,uint64,bytes,bytes)")[:4]


def nos(w3):
    return w3.eth.contract(address=w3.to_checksum_address(NOS), abi=json.loads(ankr("oracle", "abi").stdout))


def feed(node, sid):
    return json.loads(ankr("oracle", "feed", str(sid), "--rpc", node.url).stdout)


def schedule(node, *args):
    return json.loads(ankr("oracle", "schedule", *args, "--private-key", ALICE, "--rpc", node.url).stdout)


def advance_to(w3, block):
    """Seals blocks (one per transaction from the dev account) until the head is `block`."""
    while w3.eth.block_number < block:
        w3.eth.wait_for_transaction_receipt(w3.eth.send_transaction({"from": DEV_ADDRESS, "to": DEV_ADDRESS, "value": 0}), timeout=30)


def latest_round(node, sid):
    return feed(node, sid).get("latest", {}).get("round")


def rounds_up_to(node, w3, sid, start, period, last, check=lambda: None):
    """Moves the chain (a block per transaction on this dev chain; the relay's deliveries seal blocks too) to each next
    round's due block, waiting for the relay's answer before moving on, until round `last` is answered; `check` after each."""
    def answered():
        r = latest_round(node, sid)
        return -1 if r is None else r
    # One read per step: the relay may answer a round between two reads (a round delivered a block late makes the next
    # one due at once), and a target computed from a second read would wait for a round past the last.
    while (done := answered()) < last:
        target = done + 1
        advance_to(w3, start + period * target)
        wait_for(lambda: answered() >= target, 60, f"round {target} of schedule {sid}")
        check()


def scheduled_deliveries(w3, since):
    """(block, receipt) of every deliverScheduled transaction from `since` on."""
    out = []
    for n in range(since, w3.eth.block_number + 1):
        for tx in w3.eth.get_block(n, full_transactions=True).transactions:
            if tx["to"] and tx["to"].lower() == NOS and bytes(tx["input"])[:4] == DELIVER_SCHEDULED:
                out.append((n, w3.eth.get_transaction_receipt(tx["hash"])))
    return out


class Counting(dict):
    """Routes whose `path` answers {"usd": 1000 + n} on its n-th fetch (from 0): each round's fetch is a new value."""

    def __init__(self, path):
        super().__init__()
        self.path, self.fetches = path, 0

    def get(self, key, default=None):
        if key != self.path:
            return super().get(key, default)
        value, self.fetches = 1000 + self.fetches, self.fetches + 1
        return 200, json.dumps({"usd": value}).encode()


def test_a_feed_every_two_blocks_answers_four_rounds_on_time_through_a_relay_restart(oracle_chain):
    node, w3, source, tmp = oracle_chain
    source.routes = Counting("/price")
    alice = Wallet(w3, ALICE)
    consumer, _ = alice.deploy("FeedConsumer.vy")
    # The asset whose valuation will follow the feed.
    ankr("asset", "put", "77", "--metadata", "flat 77, Main Street", "--private-key", ALICE, "--rpc", node.url)
    d = relay(node, tmp)
    try:
        first_block = w3.eth.block_number
        alice_before = w3.eth.get_balance(ALICE_ADDR)
        selector = "0x" + keccak(b"onAnswer(uint256,uint64,bytes)")[:4].hex()
        out = schedule(node, "--url", source.url("/price"), "--path", "/usd", "--every-blocks", "2", "--updates", "4",
                       "--callback", consumer.address, "--selector", selector)
        sid = int(out["scheduleId"])
        start = w3.eth.get_transaction_receipt(out["tx"]).blockNumber
        f = feed(node, sid)
        assert f["start"] == start and int(out["escrow"]) == 4 * int(f["escrowPerRound"])

        # Following the feed from its start: the asset API shows its latest answer and how old it is.
        ankr("asset", "follow", "77", "--schedule", str(sid), "--private-key", ALICE, "--rpc", node.url)

        def check_asset():
            status, asset = http(node, "GET", "/v1/assets/77")
            # At most one period old: the answer of the round due now, or of the one before while its successor is being delivered.
            assert status == 200 and asset["valuationSchedule"] == str(sid) and asset["valuationAgeBlocks"] <= 2, asset
            assert asset["valuation"] == feed(node, sid)["latest"]["value"], asset

        rounds_up_to(node, w3, sid, start, 2, 1, check_asset)
        # Killed between rounds: the next round falls due while no relay runs; the restarted relay (which scans the logs
        # from the start again) delivers it.
        d.stop(signal.SIGKILL)
        done = latest_round(node, sid)  # read once the relay is gone: it may have answered a round that fell due at once
        assert done < 3
        advance_to(w3, start + 2 * (done + 1))
        time.sleep(1.5)
        f = feed(node, sid)
        assert f["latest"]["round"] == done and f["dueRound"] == done + 1, f
        d = relay(node, tmp)
        wait_for(lambda: latest_round(node, sid) >= done + 1, 60, "the restarted relay to deliver the round due")
        rounds_up_to(node, w3, sid, start, 2, 3, check_asset)

        f = feed(node, sid)
        assert f["status"] == "finished" and f["nextRound"] == 4 and f["escrowLeft"] == "0" and f["latest"]["value"] == "1003", f
        assert source.routes.fetches == 4, "each round fetched once"
        assert consumer.functions.updates().call() == 4 and consumer.functions.lastValue().call() == 1003
        status, asset = http(node, "GET", "/v1/assets/77")
        assert (asset["valuation"], asset["valuationRound"]) == ("1003", 3) and asset["valuationAgeBlocks"] <= 2, asset
        deliveries = scheduled_deliveries(w3, first_block)
        assert len(deliveries) == 4 and all(rc.status == 1 for _, rc in deliveries), "each round delivered exactly once"
        # Each round was mined no earlier than it fell due and within a period of it.
        for r, (n, _) in enumerate(deliveries):
            assert start + 2 * r <= n <= start + 2 * r + 2, (r, n, start)
        # An honest relay gains exactly the oracle fee per round: its gas comes back at its own price (below the cap).
        for n, rc in deliveries:
            assert w3.eth.get_balance(RELAY_ADDR, n) - w3.eth.get_balance(RELAY_ADDR, n - 1) == MIN_FEE, n
        # The requester paid, to the wei: its own transactions' gas, and per round the oracle fee and the relay's gas.
        mine = [w3.eth.get_transaction_receipt(tx["hash"]) for n in range(first_block, w3.eth.block_number + 1)
                for tx in w3.eth.get_block(n, full_transactions=True).transactions if tx["from"] == ALICE_ADDR]
        alice_gas = sum(r.gasUsed * r.effectiveGasPrice for r in mine)
        relay_gas = sum(rc.gasUsed * rc.effectiveGasPrice for _, rc in deliveries)
        assert w3.eth.get_balance(ALICE_ADDR) == alice_before - alice_gas - 4 * MIN_FEE - relay_gas
        assert w3.eth.get_balance(w3.to_checksum_address(NOS)) == 0
        base = [w3.eth.get_block(n).baseFeePerGas for n, _ in deliveries]
        print(f"\nscheduled feed with a callback: gas per update {[rc.gasUsed for _, rc in deliveries]}, "
              f"wei per update {[rc.gasUsed * rc.effectiveGasPrice for _, rc in deliveries]} at base fees {base}")
    finally:
        d.stop()


def test_cancelling_a_feed_midway_refunds_every_unopened_round_and_a_cap_below_the_base_fee_waits(oracle_chain):
    node, w3, source, tmp = oracle_chain
    source.routes["/rent"] = (200, b'{"rent": 1450}')
    contract = nos(w3)
    d = relay(node, tmp)
    try:
        cap = 2 * w3.eth.get_block("latest").baseFeePerGas
        value = contract.functions.scheduleEscrow(1, False, cap, 1, 5).call() + 7  # 7 wei that do not divide by 5
        out = schedule(node, "--url", source.url("/rent"), "--path", "/rent", "--every-blocks", "2", "--updates", "5", "--max-gas-price", str(cap),
                       "--value", str(value))
        sid = int(out["scheduleId"])
        start = w3.eth.get_transaction_receipt(out["tx"]).blockNumber
        per_round = value // 5
        rounds_up_to(node, w3, sid, start, 2, 1)
        plain = scheduled_deliveries(w3, start)
        print(f"\nscheduled feed without a callback: gas per update {[rc.gasUsed for _, rc in plain]}")

        printed = ankr("oracle", "unschedule", str(sid), "--private-key", ALICE, "--rpc", node.url).stdout
        f = feed(node, sid)
        # Every round not opened comes back (the division's 7 wei with the last one): the relay may have opened one more
        # round before the cancellation was mined, so the count is the schedule's own.
        opened = f["nextRound"]
        assert opened in (2, 3) and f["escrowLeft"] == "0", f
        left = value - opened * per_round
        assert printed.startswith(f"schedule {sid} cancelled: {left} wei refunded"), printed
        tx = printed.strip().rsplit("(", 1)[1].rstrip(")")
        rc = w3.eth.get_transaction_receipt(tx)
        # The cancellation's own block (one transaction per block here): a round the relay settled meanwhile refunds too.
        assert w3.eth.get_balance(ALICE_ADDR, rc.blockNumber) == w3.eth.get_balance(ALICE_ADDR, rc.blockNumber - 1) - rc.gasUsed * rc.effectiveGasPrice + left
        assert feed(node, sid)["status"] == "cancelled"
        again = ankr("oracle", "unschedule", str(sid), "--private-key", ALICE, "--rpc", node.url, check=False)
        assert again.returncode != 0 and f"schedule {sid} is cancelled" in again.stderr, again
        advance_to(w3, start + 8)
        time.sleep(2)
        assert latest_round(node, sid) == opened - 1, "nothing is delivered after cancelling"
        assert w3.eth.get_balance(w3.to_checksum_address(NOS)) == 0

        # A feed whose cap is below the base fee is never delivered at a loss: the relay waits (and says so once).
        low = schedule(node, "--url", source.url("/rent"), "--path", "/rent", "--every-blocks", "2", "--updates", "2", "--max-gas-price", "1")
        low_id = int(low["scheduleId"])
        wait_for(lambda: "waiting: base fee" in open(tmp / "relay.log").read(), 30, "the relay to wait for the base fee")
        advance_to(w3, w3.eth.block_number + 3)
        time.sleep(1)
        assert "latest" not in feed(node, low_id)
        assert open(tmp / "relay.log").read().count(f"above schedule {low_id}'s cap") == 1
        refund = ankr("oracle", "unschedule", str(low_id), "--private-key", ALICE, "--rpc", node.url).stdout
        assert f"{low['escrow']} wei refunded" in refund
    finally:
        d.stop()


def test_a_lease_checks_its_rent_against_a_market_rent_feed_and_follows_it_past_a_failed_round(oracle_chain):
    node, w3, source, tmp = oracle_chain
    source.routes["/market"] = (200, b'{"flat": {"monthly": 1450}}')
    alice = Wallet(w3, ALICE)
    ankr("asset", "put", "88", "--metadata", "flat 88", "--private-key", ALICE, "--rpc", node.url)
    d = relay(node, tmp)
    try:
        sid = int(schedule(node, "--url", source.url("/market"), "--path", "/flat/monthly", "--every-blocks", "2", "--updates", "20")["scheduleId"])
        wait_for(lambda: latest_round(node, sid) is not None, 60, "round 0")
        out = subprocess.run([sys.executable, "-m", "vyper", "--evm-version", "cancun", "-f", "abi,bytecode", "dapps/realestate/RentalAgreement.vy"],
                             capture_output=True, text=True, check=True).stdout.splitlines()
        lease = w3.eth.contract(abi=json.loads(out[0]), bytecode=out[1])
        feed_ref = 2**254 + sid  # FEED_FLAG + the schedule id: the market rent is the feed's latest answer
        tenant = w3.to_checksum_address("0x" + "77" * 20)
        args = (88, tenant, None, feed_ref, int(time.time()), 100_000, 3, 3600, w3.to_checksum_address("0x" + "00" * 19 + "01"))
        # 110% of the feed's 1450 is allowed, one wei more is not.
        too_much = alice.send(lease.constructor(*args[:2], 1595 + 1, *args[3:]), gas=3_000_000)
        assert too_much.status == 0
        deployed = alice.send(lease.constructor(*args[:2], 1595, *args[3:]))
        assert deployed.status == 1
        agreement = w3.eth.contract(address=deployed.contractAddress, abi=json.loads(out[0]))
        assert agreement.functions.marketRent().call() == 1450
        # A later round brings a new market rent; anyone can make the lease take it.
        source.routes["/market"] = (200, b'{"flat": {"monthly": 1600}}')

        def moved():
            advance_to(w3, w3.eth.block_number + 1)
            return feed(node, sid)["latest"]["value"] == "1600"
        wait_for(moved, 60, "a round answering 1600", interval=0.5)
        assert alice.send(agreement.functions.refreshMarketRent()).status == 1
        assert agreement.functions.marketRent().call() == 1600

        # A round that ends in an error (the source down) keeps the feed's last good answer wherever it is read:
        # latestAnswer, the asset's valuation (currentValuation, GET /v1/assets/{id}) and the lease's market rent.
        ankr("asset", "follow", "88", "--schedule", str(sid), "--private-key", ALICE, "--rpc", node.url)
        source.routes["/market"] = (503, b"busy")

        def errored():
            advance_to(w3, w3.eth.block_number + 1)
            f = feed(node, sid)
            return f.get("latestRound", -1) > f["latest"]["round"]
        wait_for(errored, 60, "a round answered with an error", interval=0.5)
        f = feed(node, sid)
        good = f["latest"]
        assert good["value"] == "1600", f
        contract = nos(w3)
        status, error, _ = contract.functions.getResponse(2**255 | sid << 32 | f["latestRound"]).call()
        assert status == 2 and error != 0, (status, error)
        answered, round_, request_id, answer_error, data, answered_block, _ = contract.functions.latestAnswer(sid).call()
        assert answered and round_ == good["round"] and answer_error == 0 and int.from_bytes(data[:32], "big") == 1600
        assert request_id == 2**255 | sid << 32 | good["round"] and answered_block == good["block"]
        status, asset = http(node, "GET", "/v1/assets/88")
        assert status == 200 and asset["valuation"] == "1600" and asset["valuationRound"] == good["round"], asset
        assert asset["valuationBlock"] == good["block"], asset
        assert alice.send(agreement.functions.refreshMarketRent()).status == 1
        assert agreement.functions.marketRent().call() == 1600
    finally:
        d.stop()
