"""Polling filters on a real node: a contract event followed through eth_newFilter / eth_getFilterChanges (raw and
through web3.py's contract-event filters), block and pending-transaction filters, uninstalling, and clear errors."""
import pytest
from web3.exceptions import Web3RPCError

from conftest import DEV_KEY
from event_contract import ABI, PING_TOPIC, deploy, ping


def rpc(w3, method, params):
    return w3.provider.make_request(method, params)


def test_contract_event_is_followed_through_new_filter_and_get_filter_changes(node):
    w3 = node.web3()
    raw, address = deploy(DEV_KEY, 0)
    w3.eth.wait_for_transaction_receipt(w3.eth.send_raw_transaction(raw), timeout=20)
    log_filter = w3.eth.filter({"address": address, "topics": [PING_TOPIC]})
    events = w3.eth.contract(address=address, abi=ABI).events.Ping.create_filter(from_block="latest")
    heads = w3.eth.filter("latest")
    pending = w3.eth.filter("pending")
    assert log_filter.filter_id.startswith("0x") and len({log_filter.filter_id, heads.filter_id, pending.filter_id}) == 3

    sent = [w3.eth.send_raw_transaction(ping(DEV_KEY, 1 + i, address, value)) for i, value in enumerate([7, 8])]
    receipts = [w3.eth.wait_for_transaction_receipt(h, timeout=20) for h in sent]

    changes = w3.eth.get_filter_changes(log_filter.filter_id)
    assert [int(c["data"].hex(), 16) for c in changes] == [7, 8]
    assert [c["transactionHash"] for c in changes] == sent
    assert all(c["removed"] is False and c["address"] == address for c in changes)
    assert w3.eth.get_filter_changes(log_filter.filter_id) == []
    # web3.py decodes the same event through its own filter.
    assert [e["args"]["value"] for e in events.get_new_entries()] == [7, 8]
    # eth_getFilterLogs re-runs the filter's query over stored blocks: by default the latest block only (as geth).
    assert [int(c["data"].hex(), 16) for c in w3.eth.get_filter_logs(log_filter.filter_id)] == [8]
    since_deploy = w3.eth.filter({"fromBlock": 0, "address": address})
    assert [int(c["data"].hex(), 16) for c in w3.eth.get_filter_logs(since_deploy.filter_id)] == [7, 8]
    assert set(w3.eth.get_filter_changes(heads.filter_id)) >= {r["blockHash"] for r in receipts}
    assert w3.eth.get_filter_changes(pending.filter_id) == sent

    assert w3.eth.uninstall_filter(log_filter.filter_id) is True
    assert w3.eth.uninstall_filter(log_filter.filter_id) is False
    with pytest.raises(Web3RPCError, match="filter not found"):
        w3.eth.get_filter_changes(log_filter.filter_id)


def test_filter_calls_with_hostile_params_get_json_rpc_errors(node):
    w3 = node.web3()
    many = ["0x" + "11" * 20] * 1001
    for method, params, code in [
        ("eth_newFilter", [], -32602),
        ("eth_newFilter", ["everything"], -32602),
        ("eth_newFilter", [{"address": many}], -32602),
        ("eth_newFilter", [{"topics": [None] * 5}], -32602),
        ("eth_newFilter", [{"fromBlock": "pending"}], -32602),
        ("eth_newFilter", [{"fromBlock": "0x9", "toBlock": "0x1"}], -32602),
        ("eth_newFilter", [{"fromBlock": "0x" + "f" * 70}], -32602),
        ("eth_newBlockFilter", [1], -32602),
        ("eth_newPendingTransactionFilter", ["yes"], -32602),
        ("eth_getFilterChanges", [12], -32602),
        ("eth_getFilterChanges", ["0x1"], -32000),
        ("eth_getFilterChanges", ["f" * 200_000], -32000),
        ("eth_getFilterLogs", [{}], -32602),
        ("eth_uninstallFilter", [], -32602),
    ]:
        reply = rpc(w3, method, params)
        assert reply.get("error", {}).get("code") == code, (method, str(params)[:100], reply)
    # The node still answers.
    assert w3.eth.block_number >= 0
