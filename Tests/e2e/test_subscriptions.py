"""eth_subscribe over WebSocket with web3.py's AsyncWeb3 + WebSocketProvider: newHeads, logs of a contract event,
pending transactions, and — across two nodes — the `removed: true` logs of a block a reorganization drops."""
import asyncio
import json
import os
import subprocess
import tempfile

import websockets
from web3 import AsyncWeb3, Web3, WebSocketProvider

from conftest import ANKR, DEV_ADDRESS, DEV_KEY, NodeProcess, wait_for
from event_contract import PING_TOPIC, deploy, ping


def ws_url(node):
    return f"ws://127.0.0.1:{node.port}"


async def collect(w3, until, timeout):
    """Subscription messages (subscription id, result) until `until(messages)` holds."""
    messages = []

    async def run():
        async for message in w3.socket.process_subscriptions():
            messages.append((message["subscription"], message["result"]))
            if until(messages):
                return
    await asyncio.wait_for(run(), timeout)
    return messages


def test_new_heads_logs_and_pending_transactions_reach_a_websocket_subscriber(node):
    raw_deploy, address = deploy(DEV_KEY, 0)
    raw_ping = ping(DEV_KEY, 1, address, 42)

    async def main():
        async with AsyncWeb3(WebSocketProvider(ws_url(node))) as w3:
            heads = await w3.eth.subscribe("newHeads")
            pending = await w3.eth.subscribe("newPendingTransactions")
            full = await w3.eth.subscribe("newPendingTransactions", True)
            logs = await w3.eth.subscribe("logs", {"address": address, "topics": [PING_TOPIC]})
            assert len({heads, pending, full, logs}) == 4
            deployed = await w3.eth.send_raw_transaction(raw_deploy)
            pinged = await w3.eth.send_raw_transaction(raw_ping)

            def done(ms):
                return any(s == logs for s, _ in ms) and sum(s == pending for s, _ in ms) >= 2 and any(s == heads for s, _ in ms)
            messages = await collect(w3, done, 30)
            by = lambda sub: [r for s, r in messages if s == sub]
            assert by(pending)[:2] == [deployed, pinged]
            assert [tx["hash"] for tx in by(full)[:2]] == [deployed, pinged]
            assert by(full)[0]["from"] == DEV_ADDRESS
            [log] = by(logs)
            assert log["address"] == address and int(log["data"].hex(), 16) == 42 and log["removed"] is False
            assert log["transactionHash"] == pinged
            head = by(heads)[0]
            # web3.py recognizes the header and formats it (numbers as int, hashes as bytes).
            assert head["number"] >= 1 and "transactions" not in head
            block = await w3.eth.get_block(head["number"])
            assert head["hash"] == block["hash"] and head["stateRoot"] == block["stateRoot"]
            # Unsubscribed, a subscription says so once.
            assert await w3.eth.unsubscribe(heads) is True
    asyncio.run(main())


def test_subscriptions_refuse_http_and_hostile_params(node):
    w3 = node.web3()
    reply = w3.provider.make_request("eth_subscribe", ["newHeads"])
    assert reply["error"] == {"code": -32601, "message": "notifications not supported"}

    async def main():
        # A raw socket: every refusal is answered to its own id, and the connection keeps serving.
        async with websockets.connect(ws_url(node), max_size=2**20) as ws:
            cases = [
                ("eth_subscribe", [], -32602),
                ("eth_subscribe", [7], -32602),
                ("eth_subscribe", ["newBlocks"], -32601),
                ("eth_subscribe", ["x" * 100_000], -32601),
                ("eth_subscribe", ["newHeads", {}], -32602),
                ("eth_subscribe", ["logs", {"address": ["0x" + "11" * 20] * 1001}], -32602),
                ("eth_subscribe", ["logs", {"topics": [None] * 5}], -32602),
                ("eth_subscribe", ["logs", {"fromBlock": "pending"}], -32602),
                ("eth_subscribe", ["logs", {"fromBlock": "0x5", "toBlock": "0x1"}], -32602),
                ("eth_subscribe", ["newPendingTransactions", "yes"], -32602),
                ("eth_unsubscribe", [], -32602),
                ("eth_unsubscribe", ["0x1"], -32000),
            ]
            for i, (method, params, code) in enumerate(cases):
                await ws.send(json.dumps({"jsonrpc": "2.0", "id": i, "method": method, "params": params}))
                reply = json.loads(await asyncio.wait_for(ws.recv(), 10))
                assert reply["id"] == i and reply["error"]["code"] == code, (method, str(params)[:100], reply)
            await ws.send(json.dumps({"jsonrpc": "2.0", "id": "last", "method": "eth_blockNumber", "params": []}))
            assert "result" in json.loads(await asyncio.wait_for(ws.recv(), 10))
    asyncio.run(main())


def coinbase(i):
    return Web3.to_checksum_address("0x" + f"{i:02x}" * 20)


def test_a_reorganization_sends_removed_logs_to_a_websocket_subscriber():
    """Two nodes apart: the slow one mines a contract event, the fast one a longer chain. Joined, the slow one
    reorganizes onto the heavier chain: its subscriber is told the event's log was removed, then sees it again
    when the orphaned transactions are mined on the winning chain."""
    with tempfile.TemporaryDirectory(prefix="ankr-reorg-") as workdir:
        genesis = {"config": {"chainId": 7331}, "gasLimit": "0x1c9c380", "baseFeePerGas": "0x3b9aca00", "difficulty": "0x1",
                   "alloc": {DEV_ADDRESS: {"balance": hex(10**22)}}}
        gpath = os.path.join(workdir, "genesis.json")
        with open(gpath, "w") as f:
            json.dump(genesis, f)

        def start(name, extra, cb):
            path = os.path.join(workdir, name)
            subprocess.run([ANKR, "init", "--genesis", gpath, "--datadir", path], check=True, capture_output=True)
            return NodeProcess(path, extra, cb).start()

        fast = start("fast", ["--dev.period", "0.3"], coinbase(1))
        slow = start("slow", ["--dev.period", "1.5", "--http.api", "eth,net,web3,ankr,admin"], coinbase(2))
        try:
            raw_deploy, address = deploy(DEV_KEY, 0)
            raw_ping = ping(DEV_KEY, 1, address, 99)

            async def main():
                async with AsyncWeb3(WebSocketProvider(ws_url(slow))) as w3:
                    logs = await w3.eth.subscribe("logs", {"address": address})
                    await w3.eth.send_raw_transaction(raw_deploy)
                    pinged = await w3.eth.send_raw_transaction(raw_ping)
                    [(_, first)] = await collect(w3, lambda ms: len(ms) >= 1, 30)
                    assert first["removed"] is False and first["transactionHash"] == pinged
                    fast_w3 = fast.web3()
                    slow_number = await w3.eth.block_number
                    await asyncio.to_thread(wait_for, lambda: fast_w3.eth.block_number >= slow_number + 5, 30, "the fast node to pull ahead")
                    added = await w3.provider.make_request("ankr_addPeer", [fast.enode])
                    assert added["result"] is True, added

                    messages = await collect(w3, lambda ms: any(not r["removed"] for _, r in ms), 45)
                    assert messages[0][1]["removed"] is True
                    removed = [r for _, r in messages if r["removed"]]
                    assert [(r["blockHash"], r["transactionHash"], r["logIndex"]) for r in removed] == \
                           [(first["blockHash"], pinged, first["logIndex"])]
                    again = [r for _, r in messages if not r["removed"]][0]
                    assert again["transactionHash"] == pinged and again["blockHash"] != first["blockHash"]
            asyncio.run(main())
        finally:
            fast.stop()
            slow.stop()
