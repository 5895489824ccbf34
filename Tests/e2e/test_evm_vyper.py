"""Smart contracts compiled with Vyper (--evm-version cancun), deployed to and used on a real
`ankr node --dev` through web3.py: an ERC-20 token, and a contract that asks the Native Oracle System
for data and receives the answer in a callback from NOS."""
import json
import os
import subprocess
import sys

import pytest
from eth_abi import encode
from eth_account import Account
from web3 import Web3
from web3.exceptions import ContractLogicError
from web3.logs import DISCARD

from conftest import DEV_KEY, wait_for
from test_oracle import ALICE, MIN_FEE, NOS, oracle_chain, relay  # noqa: F401 (the fixture)

HERE = os.path.dirname(os.path.abspath(__file__))
BOB = "0x" + "b0" * 32


def compile_vyper(name):
    """(abi, initcode, runtime) from the Vyper compiler of the test environment."""
    out = subprocess.run([sys.executable, "-m", "vyper", "--evm-version", "cancun", "-f", "abi,bytecode,bytecode_runtime",
                          os.path.join(HERE, "contracts", name)], capture_output=True, text=True, check=True).stdout.splitlines()
    return json.loads(out[0]), out[1], out[2]


class Wallet:
    """Signs locally (eth-account) and sends raw transactions, as dApps with their own keys do."""

    def __init__(self, w3, key):
        self.w3, self.key, self.address = w3, key, Account.from_key(key).address

    def send(self, fn=None, value=0, gas=None, tx=None):
        base = {"from": self.address, "value": value, "nonce": self.w3.eth.get_transaction_count(self.address, "pending"),
                "chainId": self.w3.eth.chain_id}
        if gas is not None:
            base["gas"] = gas
        tx = fn.build_transaction(base) if fn is not None else {**base, **tx}
        h = self.w3.eth.send_raw_transaction(Account.sign_transaction(tx, self.key).raw_transaction)
        return self.w3.eth.wait_for_transaction_receipt(h, timeout=30)

    def deploy(self, name, *args):
        abi, initcode, runtime = compile_vyper(name)
        receipt = self.send(self.w3.eth.contract(abi=abi, bytecode=initcode).constructor(*args))
        assert receipt.status == 1, receipt
        assert self.w3.eth.get_code(receipt.contractAddress) == bytes.fromhex(runtime[2:])
        return self.w3.eth.contract(address=receipt.contractAddress, abi=abi), receipt


def test_erc20_deploys_transfers_approves_and_reverts_with_reasons(node):
    w3 = node.web3()
    dev, bob = Wallet(w3, DEV_KEY), Wallet(w3, BOB)
    supply = 1_000_000 * 10**18
    token, deployed = dev.deploy("Token.vy", "Ankr Test", "ATT", supply)
    assert deployed.contractAddress == Web3.to_checksum_address(
        Web3.keccak(bytes.fromhex("d694") + bytes.fromhex(dev.address[2:]) + bytes([0x80]))[12:]), "address from sender and nonce 0"
    assert (token.functions.name().call(), token.functions.symbol().call(), token.functions.decimals().call()) == ("Ankr Test", "ATT", 18)
    assert token.functions.balanceOf(dev.address).call() == supply
    assert token.events.Transfer().process_receipt(deployed)[0].args.value == supply

    # A transfer: its event, balances, and web3's gas estimate (bisection through the EVM) was enough.
    r = dev.send(token.functions.transfer(bob.address, 1_000))
    assert r.status == 1
    ev = token.events.Transfer().process_receipt(r)[0].args
    assert (ev.sender, ev.receiver, ev.value) == (dev.address, bob.address, 1_000)
    assert token.functions.balanceOf(bob.address).call() == 1_000
    assert token.functions.balanceOf(dev.address).call() == supply - 1_000

    # Reverts: eth_call and eth_estimateGas answer code 3 with the reason, which web3.py decodes.
    with pytest.raises(ContractLogicError, match="insufficient balance"):
        token.functions.transfer(dev.address, 1_001).call({"from": bob.address})
    with pytest.raises(ContractLogicError, match="insufficient balance"):
        token.functions.transfer(dev.address, 1_001).estimate_gas({"from": bob.address})
    raw = w3.provider.make_request("eth_call", [{"from": bob.address, "to": token.address,
                                                 "data": token.functions.transfer(dev.address, 1_001)._encode_transaction_data()}, "latest"])
    assert raw["error"]["code"] == 3 and raw["error"]["message"] == "execution reverted: insufficient balance"
    assert raw["error"]["data"].startswith("0x08c379a0")

    # A reverted transaction is mined, fails, and costs exactly its gas; no balance moves.
    dev.send(tx={"to": bob.address, "value": 10**18, "gas": 21_000, "maxFeePerGas": 10**10, "maxPriorityFeePerGas": 10**9})
    before = w3.eth.get_balance(bob.address)
    failed = bob.send(token.functions.transfer(dev.address, 5_000), gas=100_000)
    assert failed.status == 0 and failed.logs == []
    assert w3.eth.get_balance(bob.address) == before - failed.gasUsed * failed.effectiveGasPrice
    assert token.functions.balanceOf(bob.address).call() == 1_000

    # approve / transferFrom by a third party, allowance spent to the unit.
    bob.send(token.functions.approve(dev.address, 600))
    assert token.functions.allowance(bob.address, dev.address).call() == 600
    with pytest.raises(ContractLogicError, match="allowance exceeded"):
        token.functions.transferFrom(bob.address, dev.address, 601).call({"from": dev.address})
    assert dev.send(token.functions.transferFrom(bob.address, dev.address, 600)).status == 1
    assert token.functions.allowance(bob.address, dev.address).call() == 0
    assert token.functions.balanceOf(bob.address).call() == 400
    assert token.functions.totalSupply().call() == supply

    # Contracts and their storage survive a restart.
    node.stop()
    node.start()
    w3 = node.web3()
    assert w3.eth.contract(address=token.address, abi=token.abi).functions.balanceOf(bob.address).call() == 400


def test_a_contract_requests_oracle_data_and_nos_calls_it_back(oracle_chain):
    node, w3, source, tmp = oracle_chain
    source.routes["/eth"] = (200, b'{"usd": 3456.78}')
    alice = Wallet(w3, ALICE)
    consumer, _ = alice.deploy("PriceConsumer.vy")
    token, _ = alice.deploy("Token.vy", "T", "T", 1)
    with open(os.path.join(os.path.dirname(HERE), "..", "abi", "NOS.json")) as f:
        nos = w3.eth.contract(address=Web3.to_checksum_address(NOS), abi=json.load(f))
    d = relay(node, tmp)
    try:
        params = encode(["string", "string", "uint8"], [source.url("/eth"), "/usd", 2])
        asked = alice.send(consumer.functions.ask(1, params), value=10 * MIN_FEE)
        assert asked.status == 1
        rid = consumer.functions.lastRequest().call()
        assert nos.events.RequestInfo().process_receipt(asked)[0].args.requester == consumer.address
        wait_for(lambda: consumer.functions.answered(rid).call(), 60, "NOS to call the consumer back")
        assert consumer.functions.errors(rid).call() == 0
        assert int.from_bytes(consumer.functions.answers(rid).call(), "big", signed=True) == 345678

        # The callback ran inside the relay's deliver transaction, from NOS; the consumer paid the oracle fee and the
        # relay's whole delivery gas at the relay's price (within the cap its value implied), and got the rest back.
        logs = w3.eth.get_logs({"address": consumer.address, "fromBlock": asked.blockNumber})
        delivery = w3.eth.get_transaction_receipt(logs[0]["transactionHash"])
        result = nos.events.CallbackResult().process_receipt(delivery, errors=DISCARD)[0].args
        assert result.success and result.id == rid
        assert w3.eth.get_balance(consumer.address) == 10 * MIN_FEE - MIN_FEE - delivery.gasUsed * delivery.effectiveGasPrice
        assert w3.eth.get_balance(Web3.to_checksum_address(NOS)) == 0

        # Nobody but NOS can answer the consumer.
        with pytest.raises(ContractLogicError, match="only NOS answers"):
            consumer.functions.onAnswer(rid, 0, b"\x01").call({"from": alice.address})

        # A callback that reverts (the token has no such function) does not stop the delivery.
        # A four-argument request whose value covers no delivery at today's base fee is refused up front.
        with pytest.raises(ContractLogicError, match="below the base fee"):
            nos.functions.request(1, params, token.address, bytes.fromhex("deadbeef")).call({"from": alice.address, "value": MIN_FEE})
        bad = alice.send(nos.functions.request(1, params, token.address, bytes.fromhex("deadbeef")), value=10 * MIN_FEE)
        bad_id = nos.events.RequestInfo().process_receipt(bad)[0].args.id
        wait_for(lambda: nos.functions.getResponse(bad_id).call()[0] == 2, 60, "the second delivery")
        failed = [l for l in w3.eth.get_logs({"address": nos.address, "fromBlock": bad.blockNumber})
                  if l["topics"][0] == Web3.keccak(text="CallbackResult(uint256,bool,uint256)")]
        assert [nos.events.CallbackResult().process_log(l).args.success for l in failed] == [False]
    finally:
        d.stop()
