# pragma version ~=0.4.3
"""
@title RentalAgreement
@notice A tokenised lease of one apartment (an asset of the Assets system contract): the landlord
        offers it at a rent checked against the oracle's market rent, the tenant signs it on chain
        and receives the lease itself as an asset (id = 2^160 + this contract's address, an id only
        this contract may promote; metadata = the hash of the terms), rent is paid on a payments
        child chain, and each payment — proven against the child block's root on the main chain,
        so neither party has to be trusted about it — becomes an on-time or late credit claim on the
        tenant's identity, its details sealed to the tenant and the viewers the tenant grants.
"""

interface Assets:
    def asset(id: uint256) -> (address, bytes32, uint8, uint256, uint256, uint64, uint64, uint256): view
    def put(id: uint256, metadataHash: bytes32, valuationRequest: uint256): nonpayable
    def transfer(id: uint256, to: address): nonpayable

interface NOS:
    def getResponse(id: uint256) -> (uint8, uint64, Bytes[8192]): view

interface PlasmaRoot:
    def verifyTransaction(blockNumber: uint256, txIndex: uint256, txBytes: Bytes[1024], proof: Bytes[512]) -> (address, address, address, uint256, address, uint256, uint256): view

interface Identity:
    def isApprovedIssuer(subject: address, issuer: address) -> bool: view
    def attestSealed(subject: address, claimType: uint256, claimHash: bytes32, expiry: uint64,
                     readers: DynArray[address, 16], payloads: DynArray[Bytes[4096], 16]) -> uint256: nonpayable

ASSETS: constant(address) = 0x00000000000000000000000000000000000a0005
NOS_ADDRESS: constant(address) = 0x00000000000000000000000000000000000A0002
IDENTITY: constant(address) = 0x00000000000000000000000000000000000a0004
PAYMENT_ON_TIME: constant(uint256) = 1
PAYMENT_LATE: constant(uint256) = 2
ASSET_ACTIVE: constant(uint8) = 1
NOS_DELIVERED: constant(uint8) = 2
# The rent may be at most this far above the oracle's market rent, in basis points.
MAX_PREMIUM_BPS: constant(uint256) = 1000
# Asset ids 2^160 + address are reserved for that address: nobody can take the lease's id first.
LEASE_ID_BASE: constant(uint256) = 2 ** 160

event Offered:
    assetId: indexed(uint256)
    landlord: indexed(address)
    tenant: indexed(address)
    rent: uint256
    marketRent: uint256

event Signed:
    tenant: indexed(address)
    leaseAsset: uint256
    terms: bytes32

event PaymentRecorded:
    month: indexed(uint256)
    onTime: bool
    childBlock: uint256
    txIndex: uint256
    paidAt: uint256
    claimId: uint256

landlord: public(address)
tenant: public(address)
assetId: public(uint256)
rent: public(uint256)
marketRent: public(uint256)
marketRequest: public(uint256)
firstDue: public(uint256)
period: public(uint256)
months: public(uint256)
grace: public(uint256)
paymentsRoot: public(address)
signed: public(bool)
recorded: public(HashMap[uint256, bool])
paidAt: public(HashMap[uint256, uint256])
claimOf: public(HashMap[uint256, uint256])
paymentUsed: public(HashMap[uint256, bool])
onTimeCount: public(uint256)
lateCount: public(uint256)


@deploy
def __init__(asset_id: uint256, tenant: address, rent: uint256, market_request: uint256, first_due: uint256, period: uint256,
             months: uint256, grace: uint256, payments_root: address):
    owner: address = empty(address)
    metadata: bytes32 = empty(bytes32)
    status: uint8 = 0
    valuation: uint256 = 0
    valuation_request: uint256 = 0
    created: uint64 = 0
    updated: uint64 = 0
    history: uint256 = 0
    owner, metadata, status, valuation, valuation_request, created, updated, history = staticcall Assets(ASSETS).asset(asset_id)
    assert status == ASSET_ACTIVE and owner == msg.sender, "only the owner of an active asset offers it"
    assert tenant != empty(address) and tenant != msg.sender, "the tenant is someone else"
    assert rent > 0 and period > 0 and months > 0 and months <= 600, "rent, period and 1..600 months"

    answer_status: uint8 = 0
    answer_error: uint64 = 0
    data: Bytes[8192] = b""
    answer_status, answer_error, data = staticcall NOS(NOS_ADDRESS).getResponse(market_request)
    assert answer_status == NOS_DELIVERED and answer_error == 0, "the market-rent request has no answer"
    market: int256 = abi_decode(slice(data, 0, 32), int256)
    assert market > 0, "the market rent must be positive"
    # rent <= market * (1 + premium), compared without division (no rounding).
    assert rent * 10000 <= convert(market, uint256) * (10000 + MAX_PREMIUM_BPS), "the rent is more than 10% above the market rent"

    self.landlord = msg.sender
    self.tenant = tenant
    self.assetId = asset_id
    self.rent = rent
    self.marketRent = convert(market, uint256)
    self.marketRequest = market_request
    self.firstDue = first_due
    self.period = period
    self.months = months
    self.grace = grace
    self.paymentsRoot = payments_root
    log Offered(assetId=asset_id, landlord=msg.sender, tenant=tenant, rent=rent, marketRent=convert(market, uint256))


@external
def sign():
    assert msg.sender == self.tenant, "only the tenant signs"
    assert not self.signed, "already signed"
    # Signing agrees to the payment record: the lease must be able to make claims about the tenant.
    assert staticcall Identity(IDENTITY).isApprovedIssuer(msg.sender, self), "approve this lease as an issuer on your identity first"
    self.signed = True
    # The lease becomes a token: an asset this contract promotes and hands to the tenant.
    lease: uint256 = LEASE_ID_BASE + convert(self, uint256)
    terms: bytes32 = self._terms()
    extcall Assets(ASSETS).put(lease, terms, 0)
    extcall Assets(ASSETS).transfer(lease, msg.sender)
    log Signed(tenant=msg.sender, leaseAsset=lease, terms=terms)


@view
@internal
def _terms() -> bytes32:
    return keccak256(abi_encode(self.assetId, self.landlord, self.tenant, self.rent, self.firstDue, self.period, self.months, self.grace,
                                self.paymentsRoot))


@view
@external
def terms() -> bytes32:
    """@notice The hash the lease asset's metadata holds: keccak256(abi_encode(asset, landlord, tenant, rent, firstDue, period, months, grace, paymentsRoot))."""
    return self._terms()


@view
@external
def dueDate(month: uint256) -> uint256:
    return self.firstDue + month * self.period


@view
@external
def claimTypeFor(month: uint256, paid_at: uint256) -> uint256:
    """@notice The claim a payment at time `paid_at` for `month` makes: on time (1) or late (2)."""
    return self._claim_type(month, paid_at)


@view
@internal
def _claim_type(month: uint256, paid_at: uint256) -> uint256:
    if paid_at <= self.firstDue + month * self.period + self.grace:
        return PAYMENT_ON_TIME
    return PAYMENT_LATE


@external
def recordPayment(month: uint256, child_block: uint256, tx_index: uint256, tx_bytes: Bytes[1024], proof: Bytes[512],
                  claim_hash: bytes32, readers: DynArray[address, 16], payloads: DynArray[Bytes[4096], 16]) -> uint256:
    """
    @notice Records month `month`'s rent: the payments-chain transaction `tx_bytes`, proven at
            `tx_index` of child block `child_block`, signed by the tenant and paying at least the
            rent to the landlord in its first output. Its time is when that block's root reached the
            main chain (it cannot be back-dated), and each payment counts once. Either party may
            record it (a landlord cannot bury an on-time payment). The tenant's identity gets an
            on-time or late claim committing to `claim_hash`, with the payload sealed to `readers`.
    """
    assert msg.sender == self.landlord or msg.sender == self.tenant, "only the landlord or the tenant records payments"
    assert self.signed, "the tenant has not signed"
    assert month < self.months, "past the lease"
    assert not self.recorded[month], "this month is recorded"
    payment: uint256 = child_block * 65536 + tx_index
    assert not self.paymentUsed[payment], "this payment is recorded for another month"
    signer1: address = empty(address)
    signer2: address = empty(address)
    owner1: address = empty(address)
    amount1: uint256 = 0
    owner2: address = empty(address)
    amount2: uint256 = 0
    paid_at: uint256 = 0
    signer1, signer2, owner1, amount1, owner2, amount2, paid_at = staticcall PlasmaRoot(self.paymentsRoot).verifyTransaction(child_block, tx_index, tx_bytes, proof)
    assert signer1 == self.tenant and (signer2 == empty(address) or signer2 == self.tenant), "the payment is not the tenant's"
    assert owner1 == self.landlord and amount1 >= self.rent, "the payment does not pay the rent to the landlord"
    claim_type: uint256 = self._claim_type(month, paid_at)
    claim_id: uint256 = extcall Identity(IDENTITY).attestSealed(self.tenant, claim_type, claim_hash, 0, readers, payloads)
    self.recorded[month] = True
    self.paymentUsed[payment] = True
    self.paidAt[month] = paid_at
    self.claimOf[month] = claim_id
    if claim_type == PAYMENT_ON_TIME:
        self.onTimeCount += 1
    else:
        self.lateCount += 1
    log PaymentRecorded(month=month, onTime=claim_type == PAYMENT_ON_TIME, childBlock=child_block, txIndex=tx_index, paidAt=paid_at, claimId=claim_id)
    return claim_id
