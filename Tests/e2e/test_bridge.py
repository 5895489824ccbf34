"""`ankr plasma bridge`: value leaves one child chain by an exit and enters another by a deposit,
against a real main-chain node and two real operators — every step visible, the value conserved to
the wei, and a bridge resumed after its challenge period."""
import json

from conftest import ankr, wait_for
from test_plasma_chain import ADDR, ETHER, KEYS, balance, main_chain, operator, plasma


def bridge(node, url1, url2, *args, frm=1, to=2, check=True):
    ops = {1: url1, 2: url2}
    out = ankr("plasma", "bridge", "--from", str(frm), "--to", str(to), "--from-operator", ops[frm], "--to-operator", ops[to],
               "--private-key", KEYS["alice"], "--rpc", node.url, *args, check=False)
    if check:
        assert out.returncode == 0, (out.returncode, out.stdout, out.stderr)
    return out if not check else [json.loads(line) for line in out.stdout.splitlines()]


def test_a_bridge_moves_value_between_child_chains_to_the_wei_and_resumes_after_the_challenge_period(tmp_path):
    node, w3 = main_chain(tmp_path)
    op = op2 = None
    try:
        plasma("create", "--stake", "1ankr", "--private-key", KEYS["op"], "--rpc", node.url)
        plasma("create", "--stake", "1ankr", "--private-key", KEYS["op2"], "--rpc", node.url)
        op, url1 = operator(node, tmp_path)
        op2, url2 = operator(node, tmp_path, chain=2, key="op2")
        plasma("deposit", "--chain", "1", "--value", "5ankr", "--private-key", KEYS["alice"], "--rpc", node.url)
        wait_for(lambda: balance(url1, "alice") == 5 * ETHER, 30, "the operator to include the deposit")

        main_before = w3.eth.get_balance(ADDR["alice"])
        steps = bridge(node, url1, url2, "--value", "2ankr")
        assert [s["step"] for s in steps] == ["start", "split", "exit", "wait", "finalize", "withdraw", "deposit", "done"]
        done = steps[-1]
        assert done["conserved"] is True, steps
        assert (int(done["fromChainLost"]), int(done["toChainGained"])) == (2 * ETHER, 2 * ETHER)
        # The main chain only paid gas: the value and the bond passed through.
        assert w3.eth.get_balance(ADDR["alice"]) == main_before - int(done["mainChainGas"])
        assert done["mainChainChange"] == "-" + done["mainChainGas"]
        assert (balance(url1, "alice"), balance(url2, "alice")) == (3 * ETHER, 2 * ETHER)
        # Each step shows where the value is: on A, then in the root contract (exit), then back on the main chain, then on B.
        assert int(steps[2]["balances"]["fromChain"]) == 3 * ETHER and int(steps[5]["balances"]["toChain"]) == 0
        assert int(steps[6]["balances"]["toChain"]) == 2 * ETHER

        # Back again with a split fee, stopping at the challenge period and resuming.
        waiting = bridge(node, url1, url2, "--value", "1ankr", "--fee", "1000", "--max-wait", "0", frm=2, to=1)
        assert [s["step"] for s in waiting] == ["start", "split", "exit", "wait"]
        resume = waiting[-1]["resumeWith"]
        assert resume.startswith("ankr plasma bridge --from 2 --to 1 --resume ")
        position = resume.rsplit(" ", 1)[1]
        assert balance(url2, "alice") == ETHER - 1000, "the change of the split, less its fee"
        resumed = bridge(node, url1, url2, "--resume", position, frm=2, to=1)
        assert [s["step"] for s in resumed] == ["start", "wait", "finalize", "withdraw", "deposit", "done"]
        assert "conserved" not in resumed[-1] and resumed[-1]["toChainGained"] == str(ETHER)
        assert (balance(url1, "alice"), balance(url2, "alice")) == (4 * ETHER, ETHER - 1000)

        # Refusals are one line on stderr.
        for args, why in ((["--value", "100ankr"], "cover"), (["--value", "1ankr", "--to", "1"], "same child chain"), (["--resume", "999:0:0"], "no exit"),
                         (["--resume", "1000:0:0"], "withdrawn already")):
            r = ankr("plasma", "bridge", "--from", "1", "--to", "2", "--from-operator", url1, "--to-operator", url2, "--private-key", KEYS["alice"],
                     "--rpc", node.url, *args, check=False)
            assert r.returncode == 1 and why in r.stderr and r.stderr.count("\n") == 1, r.stderr
    finally:
        for d in (op, op2):
            if d:
                d.stop()
        node.stop()
