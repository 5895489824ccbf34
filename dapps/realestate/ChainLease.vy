# pragma version ~=0.4.3
"""
@title ChainLease
@notice The real-estate dApp on its own application chain (white paper §3.1: application contracts live on a
        child chain; the main chain keeps identity). The landlord offers a lease at a rent checked against the
        market rent the chain's own oracle answered; the tenant signs it and pays each month's rent to this
        contract in the chain's ANKR, which forwards it to the landlord at once. Each payment is on time or late
        by the chain's clock, and becomes a message to the lease's `records` contract on the main chain
        (LeaseRecords.vy), which turns it into a claim on the tenant's identity once the payment's block is final.
"""

interface NOS:
    def getResponse(id: uint256) -> (uint8, uint64, Bytes[8192]): view

interface Bridge:
    def sendMessage(target: address, data: Bytes[1024]) -> uint256: payable

# The application chain's system contracts (the same addresses on every application chain).
NOS_ADDRESS: constant(address) = 0x00000000000000000000000000000000000A0002
BRIDGE: constant(address) = 0x00000000000000000000000000000000000A0100
NOS_DELIVERED: constant(uint8) = 2
# The rent may be at most this far above the oracle's market rent, in basis points.
MAX_PREMIUM_BPS: constant(uint256) = 1000
# Gas a landlord's contract gets to take the rent; if it refuses, the rent waits in `uncollected` (collect()), so a
# landlord cannot make the tenant's payment fail, and with it the month late.
FORWARD_GAS: constant(uint256) = 30000

event Offered:
    landlord: indexed(address)
    tenant: indexed(address)
    records: indexed(address)
    rent: uint256
    marketRent: uint256

event Signed:
    tenant: indexed(address)

event Overdue:
    month: indexed(uint256)
    messageIndex: uint256

event Paid:
    month: indexed(uint256)
    onTime: bool
    paidAt: uint256
    amount: uint256
    messageIndex: uint256

landlord: public(address)
tenant: public(address)
property: public(bytes32)
rent: public(uint256)
marketRent: public(uint256)
marketRequest: public(uint256)
firstDue: public(uint256)
period: public(uint256)
months: public(uint256)
grace: public(uint256)
records: public(address)
signed: public(bool)
# Months are paid in order: month `paidMonths` is the next one due.
paidMonths: public(uint256)
paidAt: public(HashMap[uint256, uint256])
messageOf: public(HashMap[uint256, uint256])
onTimeCount: public(uint256)
lateCount: public(uint256)
uncollected: public(uint256)
overdueReported: public(HashMap[uint256, bool])


@deploy
def __init__(property: bytes32, tenant: address, rent: uint256, market_request: uint256, first_due: uint256, period: uint256,
             months: uint256, grace: uint256, records: address):
    assert tenant != empty(address) and tenant != msg.sender, "the tenant is someone else"
    assert rent > 0 and period > 0 and months > 0 and months <= 600, "rent, period and 1..600 months"
    assert period <= 10 ** 9 and grace <= 10 ** 9 and first_due <= 10 ** 12, "period, grace and first due date in seconds"
    assert records != empty(address), "name the main-chain records contract"
    status: uint8 = 0
    answer_error: uint64 = 0
    data: Bytes[8192] = b""
    status, answer_error, data = staticcall NOS(NOS_ADDRESS).getResponse(market_request)
    assert status == NOS_DELIVERED and answer_error == 0 and len(data) >= 32, "the market-rent request has no answer"
    market: int256 = abi_decode(slice(data, 0, 32), int256)
    assert market > 0, "the market rent must be positive"
    # rent <= market * (1 + premium), compared without division (no rounding); both sides fit: rent * 10^4 is checked.
    assert rent * 10000 <= convert(market, uint256) * (10000 + MAX_PREMIUM_BPS), "the rent is more than 10% above the market rent"
    self.landlord = msg.sender
    self.tenant = tenant
    self.property = property
    self.rent = rent
    self.marketRent = convert(market, uint256)
    self.marketRequest = market_request
    self.firstDue = first_due
    self.period = period
    self.months = months
    self.grace = grace
    self.records = records
    log Offered(landlord=msg.sender, tenant=tenant, records=records, rent=rent, marketRent=convert(market, uint256))


@external
def sign():
    assert msg.sender == self.tenant, "only the tenant signs"
    assert not self.signed, "already signed"
    self.signed = True
    log Signed(tenant=msg.sender)


@view
@external
def dueDate(month: uint256) -> uint256:
    return self.firstDue + month * self.period


@external
@payable
def pay() -> uint256:
    """
    @notice The tenant pays the next month's rent, exactly `rent` wei: forwarded to the landlord, recorded on time
            or late (paid no later than its due date plus `grace`, by this chain's block time) and sent to `records`
            on the main chain as abi_encode(month, onTime, paidAt, amount). Returns the month paid.
    """
    assert msg.sender == self.tenant, "only the tenant pays"
    assert self.signed, "the tenant has not signed"
    month: uint256 = self.paidMonths
    assert month < self.months, "every month is paid"
    assert msg.value == self.rent, "pay exactly the rent"
    on_time: bool = block.timestamp <= self.firstDue + month * self.period + self.grace
    self.paidMonths = month + 1
    self.paidAt[month] = block.timestamp
    if on_time:
        self.onTimeCount += 1
    else:
        self.lateCount += 1
    index: uint256 = extcall Bridge(BRIDGE).sendMessage(self.records, abi_encode(month, on_time, block.timestamp, msg.value))
    self.messageOf[month] = index
    if not raw_call(self.landlord, b"", value=msg.value, gas=FORWARD_GAS, revert_on_failure=False):
        self.uncollected += msg.value
    log Paid(month=month, onTime=on_time, paidAt=block.timestamp, amount=msg.value, messageIndex=index)
    return month


@external
def collect() -> uint256:
    """@notice Pays the landlord the rent its address refused to take when it was paid."""
    assert msg.sender == self.landlord, "only the landlord collects"
    amount: uint256 = self.uncollected
    assert amount > 0, "nothing to collect"
    self.uncollected = 0
    # All the gas: a landlord contract that needed more than FORWARD_GAS to take the rent needs more than a stipend too.
    raw_call(msg.sender, b"", value=amount)
    return amount


@external
def reportOverdue() -> uint256:
    """
    @notice The landlord reports the next month unpaid past its due date and grace: the main chain gets a late record
            for it (abi_encode(month, False, 0, 0): paid at 0, nothing paid), so a tenant who stops paying does not
            escape the record. Once per month; paying that month later still forwards the rent, but its record comes
            too late to count (the month is recorded). Returns the month reported.
    """
    assert msg.sender == self.landlord, "only the landlord reports"
    assert self.signed, "the tenant has not signed"
    month: uint256 = self.paidMonths
    assert month < self.months, "every month is paid"
    assert not self.overdueReported[month], "this month is reported"
    assert block.timestamp > self.firstDue + month * self.period + self.grace, "the month is not overdue"
    self.overdueReported[month] = True
    index: uint256 = extcall Bridge(BRIDGE).sendMessage(self.records, abi_encode(month, False, empty(uint256), empty(uint256)))
    log Overdue(month=month, messageIndex=index)
    return month
