# pragma version ~=0.4.3
"""
@title FeedConsumer
@notice Receives a scheduled feed's answers: NOS calls it back once per round.
"""

NOS_ADDRESS: constant(address) = 0x00000000000000000000000000000000000A0002

event Updated:
    id: indexed(uint256)
    error: uint64
    value: int256

updates: public(uint256)
lastId: public(uint256)
lastValue: public(int256)


@external
def onAnswer(id: uint256, error: uint64, data: Bytes[1024]):
    assert msg.sender == NOS_ADDRESS, "only NOS answers"
    self.updates += 1
    self.lastId = id
    if error == 0 and len(data) >= 32:
        self.lastValue = abi_decode(slice(data, 0, 32), int256)
    log Updated(id=id, error=error, value=self.lastValue)
