# pragma version ~=0.4.3
"""
@title Messenger
@notice One half of a conversation between the main chain and an application chain. `bridge` is the chain's
        AppChainRoot on the main chain or the AppChainBridge on the application chain: both take `sendMessage`
        and `consumeMessage` with the same signatures. Messages are pulled: anyone may call `accept` with a
        delivered message's index, sender and data; the bridge refuses unless the message is that one, to this
        contract, not consumed yet; this contract then accepts only its peer's messages.
"""

interface Bridge:
    def sendMessage(target: address, data: Bytes[1024]) -> uint256: payable
    def consumeMessage(index: uint256, sender: address, data: Bytes[1024]): nonpayable

event Received:
    index: indexed(uint256)
    sender: indexed(address)
    data: Bytes[1024]

bridge: public(address)
owner: public(address)
peer: public(address)
received: public(uint256)
last: public(Bytes[1024])


@deploy
def __init__(bridge: address):
    self.bridge = bridge
    self.owner = msg.sender


@external
def setPeer(peer: address):
    assert msg.sender == self.owner, "only the owner"
    self.peer = peer


@external
@payable
def send(target: address, data: Bytes[1024]) -> uint256:
    return extcall Bridge(self.bridge).sendMessage(target, data, value=msg.value)


@external
def accept(index: uint256, sender: address, data: Bytes[1024]):
    extcall Bridge(self.bridge).consumeMessage(index, sender, data)
    assert sender == self.peer, "not from the peer"
    self.received += 1
    self.last = data
    log Received(index=index, sender=sender, data=data)
