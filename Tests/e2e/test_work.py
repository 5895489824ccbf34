"""The WorkMarket end to end: a job posted with the CLI is run by a real PoUW miner, paid, settled."""
import json
import os
import struct

from web3 import Web3

from conftest import DEV_ADDRESS, DEV_KEY, ROOT, ankr, wait_for

MARKET = "0x00000000000000000000000000000000000A0003"
GWEI = 10**9


def fnv_chain(passes, data):
    h = 0xcbf29ce484222325
    for _ in range(passes):
        for b in data:
            h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return struct.pack("<Q", h)


def test_posted_job_is_run_by_the_miner_paid_and_settled(devnet):
    url, d = devnet
    w3 = Web3(Web3.HTTPProvider(url, request_kwargs={"timeout": 10}))
    wait_for(lambda: w3.eth.block_number >= 1, 60, "the first PoUW block")
    inputs = os.path.join(d, "inputs")
    os.makedirs(inputs)
    payloads = [struct.pack("<I", 40 + 30 * i) + f"ankr job input {i}".encode() for i in range(3)]
    for i, p in enumerate(payloads):
        with open(os.path.join(inputs, f"{i:02d}.bin"), "wb") as f:
            f.write(p)
    module = os.path.join(ROOT, "Examples", "work", "fnv-chain.wat")

    # Too little escrow for the fuel asked: refused before anything is sent, one line on stderr.
    bad = ankr("work", "post", "--module", module, "--inputs", inputs, "--price", "1gwei", "--max-fuel", "60000000",
               "--private-key", DEV_KEY, "--rpc", url, check=False)
    assert bad.returncode != 0 and "maxFuelPerSubtask must be between" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1

    poster_before = w3.eth.get_balance(DEV_ADDRESS)
    posted = ankr("work", "post", "--module", module, "--inputs", inputs, "--price", "1gwei", "--max-fuel", "1000000",
                  "--private-key", DEV_KEY, "--rpc", url, "--wait")
    job_line = posted.stdout.strip().splitlines()[-1]
    assert job_line == "job 1", posted.stdout
    escrow = 3 * 1_000_000 * GWEI

    def complete():
        return w3.provider.make_request("work_getJob", ["0x1"])["result"]["status"] == "complete"
    wait_for(complete, 90, "the miner to run every subtask")

    # A dispute of a right result is refused: the chain re-runs the subtask and gets the same answer.
    disputed = ankr("work", "dispute", "1", "0", "--private-key", DEV_KEY, "--rpc", url, check=False)
    assert disputed.returncode != 0 and "re-execution confirms the result" in disputed.stderr, disputed.stderr

    results = w3.provider.make_request("work_getResults", ["0x1"])["result"]
    assert len(results) == 3
    paid = 0
    for i, r in enumerate(results):
        passes = struct.unpack("<I", payloads[i][:4])[0]
        assert bytes.fromhex(r["output"][2:]) == fnv_chain(passes, payloads[i][4:]), "the miner computed the real answer"
        assert int(r["payment"], 16) == int(r["fuel"], 16) * GWEI
        assert Web3.keccak(payloads[i]).hex().removeprefix("0x") == r["inputHash"].removeprefix("0x")
        paid += int(r["payment"], 16)
    worker = results[0]["worker"]
    job = w3.provider.make_request("work_getJob", ["0x1"])["result"]
    assert int(job["escrow"], 16) == escrow - paid, "escrow left + payments = escrow posted, to the wei"

    # The same job read with web3.py through the shipped ABI, and its events through eth_getLogs.
    with open(os.path.join(ROOT, "abi", "WorkMarket.json")) as f:
        market = w3.eth.contract(address=Web3.to_checksum_address(MARKET), abi=json.load(f))
    poster, module_hash, subtasks, max_fuel, price, left, completed, is_open, _ = market.functions.getJob(1).call()
    assert (poster, subtasks, max_fuel, price, left, completed, is_open) == (DEV_ADDRESS, 3, 1_000_000, GWEI, escrow - paid, 3, True)
    submitted = market.events.ResultSubmitted().get_logs(from_block=0)
    assert sorted(e.args.index for e in submitted) == [0, 1, 2] and all(e.args.worker == worker for e in submitted)
    assert len(market.events.JobCompleted().get_logs(from_block=0)) == 1

    # The CLI shows the same, and writes the outputs.
    out = os.path.join(d, "out")
    shown = ankr("work", "results", "1", "--rpc", url, "--out", out).stdout
    assert shown.count(worker) == 3
    assert open(os.path.join(out, "2.out"), "rb").read() == fnv_chain(100, payloads[2][4:])
    assert "3/3 subtasks  complete" in ankr("work", "status", "1", "--rpc", url).stdout

    # After the dispute window (10 blocks on a devnet) the miner takes its bonds back by itself.
    wait_for(lambda: all(r.get("bondReturned") for r in w3.provider.make_request("work_getResults", ["0x1"])["result"]), 90,
             "the worker to reclaim its bonds")
    assert len(market.events.BondReturned().get_logs(from_block=0)) == 3

    # Cancelling gives the poster back exactly the unpaid escrow.
    cancelled = ankr("work", "cancel", "1", "--private-key", DEV_KEY, "--rpc", url)
    tx = cancelled.stdout.strip().split()[-1]
    receipt = w3.eth.get_transaction_receipt(tx)
    assert receipt.status == 1
    assert w3.provider.make_request("work_getJob", ["0x1"])["result"]["status"] == "cancelled"
    refund = market.events.JobCancelled().process_receipt(receipt)[0].args.refund
    assert refund == escrow - paid
    post_receipt = [e for e in market.events.JobPosted().get_logs(from_block=0)][0]
    gas_spent = sum(w3.eth.get_transaction_receipt(h).gasUsed * w3.eth.get_transaction_receipt(h).effectiveGasPrice
                    for h in [post_receipt.transactionHash, receipt.transactionHash])
    assert w3.eth.get_balance(DEV_ADDRESS) == poster_before - paid - gas_spent
    assert w3.eth.get_balance(MARKET) == 0, "nothing is left in the market once bonds and escrow are settled"
