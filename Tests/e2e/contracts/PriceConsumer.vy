# pragma version ~=0.4.3
"""
@title PriceConsumer
@notice Asks the Native Oracle System for data and keeps what NOS calls back with.
"""

interface NOS:
    def request(requestType: uint8, params: Bytes[2048], callback: address, selector: bytes4) -> uint256: payable

NOS_ADDRESS: constant(address) = 0x00000000000000000000000000000000000A0002

event Answered:
    id: indexed(uint256)
    error: uint64
    data: Bytes[1024]

lastRequest: public(uint256)
answered: public(HashMap[uint256, bool])
errors: public(HashMap[uint256, uint64])
answers: public(HashMap[uint256, Bytes[1024]])


@external
@payable
def ask(requestType: uint8, params: Bytes[2048]) -> uint256:
    selector: bytes4 = method_id("onAnswer(uint256,uint64,bytes)", output_type=bytes4)
    id: uint256 = extcall NOS(NOS_ADDRESS).request(requestType, params, self, selector, value=msg.value)
    self.lastRequest = id
    return id


@external
def onAnswer(id: uint256, error: uint64, data: Bytes[1024]):
    assert msg.sender == NOS_ADDRESS, "only NOS answers"
    self.answered[id] = True
    self.errors[id] = error
    self.answers[id] = data
    log Answered(id=id, error=error, data=data)

