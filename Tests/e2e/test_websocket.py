"""JSON-RPC over WebSocket on the node's HTTP port: web3.py 8's AsyncWeb3 + WebSocketProvider connects and calls,
origins follow the CORS rules, and hostile frames get a clear close, never a crash."""
import asyncio
import json

import pytest
import websockets
from web3 import AsyncWeb3, Web3
from web3.providers.persistent import WebSocketProvider

from conftest import DEV_ADDRESS, NodeProcess


def ws_url(node):
    return f"ws://127.0.0.1:{node.port}"


def test_web3_async_websocket_provider_calls(node):
    async def main():
        async with AsyncWeb3(WebSocketProvider(ws_url(node))) as w3:
            assert await w3.is_connected()
            assert await w3.eth.chain_id == node.web3().eth.chain_id
            assert await w3.eth.get_balance(DEV_ADDRESS) > 0
            block = await w3.eth.get_block("latest")
            assert block["number"] == await w3.eth.block_number
            # Several calls in flight on one connection: each reply finds its caller.
            numbers = await asyncio.gather(*(w3.eth.get_block(0) for _ in range(8)))
            assert {b["hash"] for b in numbers} == {block_zero_hash(node)}
    asyncio.run(main())


def block_zero_hash(node):
    return node.web3().eth.get_block(0)["hash"]


def test_raw_websocket_envelopes_and_http_still_served(node):
    async def main():
        async with websockets.connect(ws_url(node)) as ws:
            await ws.send(json.dumps([{"jsonrpc": "2.0", "id": 1, "method": "eth_chainId"},
                                      {"jsonrpc": "2.0", "id": 2, "method": "no_such_method"}]))
            batch = json.loads(await ws.recv())
            assert batch[0]["result"] == hex(node.web3().eth.chain_id)
            assert batch[1]["error"]["code"] == -32601
            await ws.send("{not json")
            assert json.loads(await ws.recv())["error"]["code"] == -32700
            await ws.send(json.dumps({"jsonrpc": "2.0", "id": 3, "method": "eth_getBalance", "params": ["0x12", "latest"]}))
            assert json.loads(await ws.recv())["error"]["code"] == -32602
    asyncio.run(main())
    # The HTTP side of the same port is untouched.
    assert node.web3().eth.block_number >= 0


def test_oversized_message_is_closed_with_1009(node):
    async def main():
        async with websockets.connect(ws_url(node), max_size=None) as ws:
            # The server closes while the frame is still arriving, so either call may see the close.
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await ws.send("[" + " " * (6 * 1024 * 1024) + "]")
                await ws.recv()
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009
    asyncio.run(main())
    assert node.web3().eth.block_number >= 0


def test_origins_follow_cors(datadir):
    n = NodeProcess(datadir, extra=["--http.corsdomain", "https://app.example"]).start()
    try:
        async def main():
            async with websockets.connect(ws_url(n), origin="https://app.example") as ws:
                await ws.send(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "net_version"}))
                assert "result" in json.loads(await ws.recv())
            with pytest.raises(websockets.InvalidStatus) as refused:
                async with websockets.connect(ws_url(n), origin="https://evil.example"):
                    pass
            assert refused.value.response.status_code == 403
            # Scripts send no origin at all: always let in.
            async with websockets.connect(ws_url(n)) as ws:
                await ws.send(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "net_version"}))
                assert "result" in json.loads(await ws.recv())
        asyncio.run(main())
    finally:
        n.stop()


def test_ws_origins_flag_overrides_cors(datadir):
    n = NodeProcess(datadir, extra=["--ws.origins", "https://wallet.example"]).start()
    try:
        async def main():
            async with websockets.connect(ws_url(n), origin="https://wallet.example") as ws:
                await ws.send(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "web3_clientVersion"}))
                assert "result" in json.loads(await ws.recv())
        asyncio.run(main())
        # CORS for HTTP is unchanged by it (no CORS list: no header).
        assert Web3(Web3.HTTPProvider(n.url)).eth.block_number >= 0
    finally:
        n.stop()
