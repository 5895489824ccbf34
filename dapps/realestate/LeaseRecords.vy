# pragma version ~=0.4.3
"""
@title LeaseRecords
@notice The main-chain half of a lease that lives on a real-estate application chain (ChainLease.vy): the issuer of
        its on-time and late claims on the tenant's identity. Each rent payment there sends a message here; once the
        payment's block is final on the main chain (`ankr appchain finalize`), the landlord or the tenant records it:
        this contract consumes the message from the chain's root — which refuses unless the bound lease sent exactly
        that data to this contract and nobody consumed it yet — and attests the claim, its details sealed to the
        readers given. The landlord binds the lease once; the tenant's `ankr dapp lease sign` checks both halves name
        each other before approving this contract as an issuer.
"""

interface AppChainRoot:
    def consumeMessage(index: uint256, sender: address, data: Bytes[1024]): nonpayable

interface Identity:
    def isApprovedIssuer(subject: address, issuer: address) -> bool: view
    def attestSealed(subject: address, claimType: uint256, claimHash: bytes32, expiry: uint64,
                     readers: DynArray[address, 16], payloads: DynArray[Bytes[4096], 16]) -> uint256: nonpayable

IDENTITY: constant(address) = 0x00000000000000000000000000000000000a0004
PAYMENT_ON_TIME: constant(uint256) = 1
PAYMENT_LATE: constant(uint256) = 2
MAX_MONTHS: constant(uint256) = 600

event LeaseBound:
    lease: indexed(address)

event PaymentRecorded:
    month: indexed(uint256)
    onTime: bool
    paidAt: uint256
    amount: uint256
    messageIndex: uint256
    claimId: uint256

landlord: public(address)
tenant: public(address)
chainRoot: public(address)
lease: public(address)
recorded: public(HashMap[uint256, bool])
paidAt: public(HashMap[uint256, uint256])
claimOf: public(HashMap[uint256, uint256])
onTimeCount: public(uint256)
lateCount: public(uint256)


@deploy
def __init__(chain_root: address, tenant: address):
    assert chain_root != empty(address) and tenant != empty(address) and tenant != msg.sender, "a chain's root and a tenant other than the landlord"
    self.landlord = msg.sender
    self.tenant = tenant
    self.chainRoot = chain_root


@external
def bindLease(lease: address):
    """@notice The landlord names the lease contract on the application chain, once: only its messages are records."""
    assert msg.sender == self.landlord, "only the landlord binds the lease"
    assert self.lease == empty(address), "the lease is bound"
    assert lease != empty(address), "name the lease"
    self.lease = lease
    log LeaseBound(lease=lease)


@external
def recordPayment(index: uint256, data: Bytes[1024], claim_hash: bytes32, readers: DynArray[address, 16],
                  payloads: DynArray[Bytes[4096], 16]) -> uint256:
    """
    @notice Records the payment message `index` (`data` as the lease sent it: abi_encode(month, onTime, paidAt,
            amount); paidAt and amount 0 for a month the landlord reported overdue) as an on-time or late claim on the
            tenant's identity committing to `claim_hash`, sealed to `readers`. Either party may record (a landlord cannot
            bury an on-time payment, nor a tenant a late one).
    """
    assert msg.sender == self.landlord or msg.sender == self.tenant, "only the landlord or the tenant records payments"
    assert self.lease != empty(address), "no lease is bound"
    extcall AppChainRoot(self.chainRoot).consumeMessage(index, self.lease, data)
    month: uint256 = 0
    on_time: bool = False
    paid_at: uint256 = 0
    amount: uint256 = 0
    month, on_time, paid_at, amount = abi_decode(data, (uint256, bool, uint256, uint256))
    assert month < MAX_MONTHS and not self.recorded[month], "this month is recorded"
    claim_type: uint256 = PAYMENT_LATE
    if on_time:
        claim_type = PAYMENT_ON_TIME
    # A tenant who withdrew its approval of this issuer cannot hold a late month back: the month is recorded here (claim 0)
    # and counts in lateCount; while the approval holds, the claim must be made, so no recorder can drop an on-time one.
    claim_id: uint256 = 0
    if staticcall Identity(IDENTITY).isApprovedIssuer(self.tenant, self):
        claim_id = extcall Identity(IDENTITY).attestSealed(self.tenant, claim_type, claim_hash, 0, readers, payloads)
    self.recorded[month] = True
    self.paidAt[month] = paid_at
    self.claimOf[month] = claim_id
    if on_time:
        self.onTimeCount += 1
    else:
        self.lateCount += 1
    log PaymentRecorded(month=month, onTime=on_time, paidAt=paid_at, amount=amount, messageIndex=index, claimId=claim_id)
    return claim_id
