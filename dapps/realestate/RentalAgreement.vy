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
        Rent may also be paid in fiat through a bank (setFiatTerms): the oracle enclave asks the bank's
        Open Banking API, with a token only the enclave reads, whether the month's transfer settled, and
        its signed answer — delivered to onPaymentProof — proves the payment the same way.
"""

interface Assets:
    def asset(id: uint256) -> (address, bytes32, uint8, uint256, uint256, uint64, uint64, uint256): view
    def put(id: uint256, metadataHash: bytes32, valuationRequest: uint256): nonpayable
    def transfer(id: uint256, to: address): nonpayable

interface NOS:
    def getResponse(id: uint256) -> (uint8, uint64, Bytes[8192]): view
    def latestAnswer(scheduleId: uint256) -> (bool, uint32, uint256, uint64, Bytes[8192], uint64, uint64): view

interface NOSRequests:
    def request(requestType: uint8, params: Bytes[4096], callback: address, selector: bytes4, maxGasPrice: uint256, enclaves: uint8) -> uint256: payable
    def cancel(id: uint256): nonpayable

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
# A market request of FEED_FLAG + s names NOS scheduled feed s (`ankr oracle schedule`) instead of a one-off request:
# the market rent is the feed's latest answer, and refreshMarketRent() keeps it current as NOS answers each round.
FEED_FLAG: constant(uint256) = 2 ** 254
# A private payment-proof request (NOS kind 4 with the private flag): the bank URL and token sealed to the enclave,
# no readers, so the answer comes back in the clear for this contract to check.
PAYMENT_PROOF_REQUEST: constant(uint8) = 132
ON_PAYMENT_PROOF: constant(bytes4) = method_id("onPaymentProof(uint256,uint64,bytes)", output_type=bytes4)
# A proof request NOS has not answered this many blocks after it was made may be cancelled (cancelFiatProof).
FIAT_CANCEL_BLOCKS: constant(uint256) = 50
# UK Faster Payments keeps 18 characters of a reference: month m's reference is the landlord's prefix (at most 6 of A-Z 0-9)
# followed by upper-case hex digits of keccak256(lease address ‖ m), 18 characters in all.
FIAT_REFERENCE_CHARS: constant(uint256) = 18
FIAT_PREFIX_CHARS: constant(uint256) = 6

event Offered:
    assetId: indexed(uint256)
    landlord: indexed(address)
    tenant: indexed(address)
    rent: uint256
    marketRent: uint256

event MarketRentUpdated:
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

event FiatTermsSet:
    amount: uint256
    currency: String[3]
    bank: String[253]
    accountHash: bytes32
    reference: String[6]

event FiatProofRequested:
    month: indexed(uint256)
    requestId: indexed(uint256)
    payer: address

event FiatRentProven:
    month: indexed(uint256)
    requestId: indexed(uint256)
    settledAt: uint256

event FiatProofCancelled:
    month: indexed(uint256)
    requestId: indexed(uint256)
    refund: uint256

event FiatProofRejected:
    month: indexed(uint256)
    requestId: indexed(uint256)
    error: uint64
    reason: String[64]

event FiatPaymentRecorded:
    month: indexed(uint256)
    onTime: bool
    requestId: uint256
    settledAt: uint256
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
# Fiat rent: the amount in the currency's minor units, the bank's API host (host[:port]), the creditor account's hash
# (keccak256(abi(scheme, identification, secondary identification)), identifications without spaces, upper case) and the
# reference prefix; month m's transfer carries fiatReferenceFor(m).
fiatAmount: public(uint256)
fiatCurrency: public(String[3])
fiatBank: public(String[253])
fiatAccountHash: public(bytes32)
fiatReference: public(String[6])
# NOS request id -> month + 1 while its answer is awaited, who paid its fee and the block it was made in.
fiatRequestMonth: public(HashMap[uint256, uint256])
fiatPayer: public(HashMap[uint256, address])
fiatRequestedAt: public(HashMap[uint256, uint256])
fiatProven: public(HashMap[uint256, bool])
fiatSettledAt: public(HashMap[uint256, uint256])
fiatProofOf: public(HashMap[uint256, uint256])
# NOS refunds the unspent part of a request's fee to this contract right after its callback returns, so a balance not
# yet attributed belongs to the payer of the request answered last.
refundOf: public(HashMap[address, uint256])
refundsHeld: public(uint256)
lastFiatPayer: address


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
    if market_request >= FEED_FLAG and market_request < 2 ** 255:
        answer_error, data = self._latest_market(market_request - FEED_FLAG)
    else:
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
                                self.paymentsRoot, self.fiatAmount, self.fiatCurrency, self.fiatBank, self.fiatAccountHash, self.fiatReference))


@view
@external
def terms() -> bytes32:
    """@notice The hash the lease asset's metadata holds: keccak256(abi_encode(asset, landlord, tenant, rent, firstDue, period, months, grace, paymentsRoot,
               fiatAmount, fiatCurrency, fiatBank, fiatAccountHash, fiatReference))."""
    return self._terms()


@view
@internal
def _latest_market(feed: uint256) -> (uint64, Bytes[8192]):
    answered: bool = False
    round: uint32 = 0
    request_id: uint256 = 0
    answer_error: uint64 = 0
    data: Bytes[8192] = b""
    answered_block: uint64 = 0
    answered_at: uint64 = 0
    answered, round, request_id, answer_error, data, answered_block, answered_at = staticcall NOS(NOS_ADDRESS).latestAnswer(feed)
    assert answered and answer_error == 0, "the market-rent feed has no answer"
    return answer_error, data


@external
def refreshMarketRent() -> uint256:
    """@notice For a lease whose market rent follows a NOS scheduled feed: takes the feed's latest answer (anyone may call)."""
    assert self.marketRequest >= FEED_FLAG and self.marketRequest < 2 ** 255, "the market rent is a one-off request, not a feed"
    answer_error: uint64 = 0
    data: Bytes[8192] = b""
    answer_error, data = self._latest_market(self.marketRequest - FEED_FLAG)
    market: int256 = abi_decode(slice(data, 0, 32), int256)
    assert market > 0, "the market rent must be positive"
    self.marketRent = convert(market, uint256)
    log MarketRentUpdated(marketRent=self.marketRent)
    return self.marketRent


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
    self.paymentUsed[payment] = True
    claim_type: uint256 = 0
    claim_id: uint256 = 0
    claim_type, claim_id = self._record(month, paid_at, claim_hash, readers, payloads)
    log PaymentRecorded(month=month, onTime=claim_type == PAYMENT_ON_TIME, childBlock=child_block, txIndex=tx_index, paidAt=paid_at, claimId=claim_id)
    return claim_id


@internal
def _record(month: uint256, paid_at: uint256, claim_hash: bytes32, readers: DynArray[address, 16],
            payloads: DynArray[Bytes[4096], 16]) -> (uint256, uint256):
    claim_type: uint256 = self._claim_type(month, paid_at)
    claim_id: uint256 = extcall Identity(IDENTITY).attestSealed(self.tenant, claim_type, claim_hash, 0, readers, payloads)
    self.recorded[month] = True
    self.paidAt[month] = paid_at
    self.claimOf[month] = claim_id
    if claim_type == PAYMENT_ON_TIME:
        self.onTimeCount += 1
    else:
        self.lateCount += 1
    return claim_type, claim_id


@pure
@internal
def _is_code(text: Bytes[6], digits: bool) -> bool:
    # Capital letters only (digits too when `digits`): what a bank keeps unchanged in an ISO 4217 code or a reference.
    for i: uint256 in range(6):
        if i >= len(text):
            break
        c: uint256 = convert(convert(slice(text, i, 1), bytes1), uint256)
        if not ((c >= 65 and c <= 90) or (digits and c >= 48 and c <= 57)):
            return False
    return True


@external
def setFiatTerms(amount: uint256, currency: String[3], bank: String[253], account_hash: bytes32, reference: String[6]):
    """
    @notice The landlord also takes the rent in fiat: `amount` in `currency`'s minor units (pence, cents) to the account
            whose scheme, identification and secondary identification hash to `account_hash` (PaymentProof.accountHash),
            at the bank whose API is at `bank` (host[:port]), month m's transfer referenced fiatReferenceFor(m): `reference`
            (0-6 of A-Z 0-9) then hex digits bound to this lease and the month. Only before the tenant signs: the terms hash
            the tenant signs covers them.
    """
    assert msg.sender == self.landlord, "only the landlord sets the fiat terms"
    assert not self.signed, "the lease is signed"
    assert amount > 0 and len(currency) == 3 and len(bank) > 0 and account_hash != empty(bytes32), "give an amount, currency, bank and account"
    assert self._is_code(convert(currency, Bytes[6]), False), "the currency is an ISO 4217 code (three capital letters)"
    assert self._is_code(convert(reference, Bytes[6]), True), "the reference prefix is capital letters and digits"
    self.fiatAmount = amount
    self.fiatCurrency = currency
    self.fiatBank = bank
    self.fiatAccountHash = account_hash
    self.fiatReference = reference
    log FiatTermsSet(amount=amount, currency=currency, bank=bank, accountHash=account_hash, reference=reference)


@view
@external
def fiatReferenceFor(month: uint256) -> String[18]:
    """
    @notice The reference month `month`'s transfer must carry: the landlord's prefix, then upper-case hex digits of
            keccak256(this lease's address ‖ uint256 month), 18 characters (what UK Faster Payments keeps). No other lease
            and no other month has it, so a transfer proves one month of one lease.
    """
    return self._fiat_reference(month)


@view
@internal
def _fiat_reference(month: uint256) -> String[18]:
    h: uint256 = convert(keccak256(concat(convert(self, bytes20), convert(month, bytes32))), uint256)
    # 18 hex digits as ASCII, packed big-endian into the top 18 bytes of a word.
    packed: uint256 = 0
    for i: uint256 in range(FIAT_REFERENCE_CHARS):
        nibble: uint256 = (h >> (252 - 4 * i)) & 15
        code: uint256 = nibble + 48
        if nibble >= 10:
            code = nibble + 55
        packed = packed * 256 + code
    digits: String[18] = convert(slice(convert(packed << 112, bytes32), 0, 18), String[18])
    return slice(concat(self.fiatReference, digits), 0, 18)


@internal
def _attribute_refunds():
    unattributed: uint256 = self.balance - self.refundsHeld
    if unattributed > 0 and self.lastFiatPayer != empty(address):
        self.refundOf[self.lastFiatPayer] += unattributed
        self.refundsHeld += unattributed


@external
@payable
def proveFiatRent(month: uint256, sealed_query: Bytes[4096], max_gas_price: uint256) -> uint256:
    """
    @notice Asks the oracle for the bank's word on month `month`'s fiat rent. `sealed_query` is a payment request's
            params sealed to the oracle enclave with no readers and this lease as the requester (`ankr dapp rental
            prove-fiat` builds it: the bank's payment-status URL, the token, the lease's amount, currency, account and the
            month's reference); msg.value is NOS's escrow for one answer at `max_gas_price` wei per gas at most, whose
            unspent part `withdrawRefund` returns. NOS calls onPaymentProof with the answer; cancelFiatProof takes back a
            request NOS leaves unanswered.
    """
    assert msg.sender == self.landlord or msg.sender == self.tenant, "only the landlord or the tenant proves rent"
    assert self.signed, "the tenant has not signed"
    assert self.fiatAmount > 0, "this lease takes no fiat rent"
    assert month < self.months, "past the lease"
    assert not self.recorded[month], "this month is recorded"
    request_id: uint256 = extcall NOSRequests(NOS_ADDRESS).request(PAYMENT_PROOF_REQUEST, sealed_query, self, ON_PAYMENT_PROOF, max_gas_price, 1,
                                                                   value=msg.value)
    self.fiatRequestMonth[request_id] = month + 1
    self.fiatPayer[request_id] = msg.sender
    self.fiatRequestedAt[request_id] = block.number
    log FiatProofRequested(month=month, requestId=request_id, payer=msg.sender)
    return request_id


@external
def cancelFiatProof(request_id: uint256) -> uint256:
    """
    @notice Cancels a proof request NOS has not answered FIAT_CANCEL_BLOCKS blocks after it was made (its cap below the
            base fee, or no relay answering): NOS returns the escrow less its cancellation fee to the lease, and the lease
            credits it to whoever paid for the request (withdrawRefund). The landlord or the tenant may cancel.
    """
    assert msg.sender == self.landlord or msg.sender == self.tenant, "only the landlord or the tenant cancels a proof request"
    month_plus_one: uint256 = self.fiatRequestMonth[request_id]
    assert month_plus_one != 0, "not a pending request of this lease"
    assert block.number >= self.fiatRequestedAt[request_id] + FIAT_CANCEL_BLOCKS, "a proof request can be cancelled 50 blocks after it was made"
    self.fiatRequestMonth[request_id] = 0
    # Earlier refunds first, so the balance NOS adds now is this request's alone.
    self._attribute_refunds()
    before: uint256 = self.balance
    extcall NOSRequests(NOS_ADDRESS).cancel(request_id)
    refund: uint256 = self.balance - before
    self.refundOf[self.fiatPayer[request_id]] += refund
    self.refundsHeld += refund
    log FiatProofCancelled(month=month_plus_one - 1, requestId=request_id, refund=refund)
    return refund


@pure
@internal
def _is_payment_answer(data: Bytes[8192]) -> bool:
    # True when abi_decode below takes `data` as abi(bool, uint256, string, string, uint64, string, bytes32) with strings of at
    # most 256 bytes: a well-formed answer of another shape (one sealed to readers, an over-long host) is rejected, never
    # reverted, so the callback always completes and NOS's refund is credited to this request's payer.
    if len(data) < 224:
        return False
    if extract32(data, 0, output_type=uint256) > 1 or extract32(data, 128, output_type=uint256) > convert(max_value(uint64), uint256):
        return False
    for word: uint256 in [64, 96, 160]:
        offset: uint256 = extract32(data, word, output_type=uint256)
        if offset > len(data) - 32:
            return False
        size: uint256 = extract32(data, offset, output_type=uint256)
        if size > 256 or size > len(data) - offset - 32:
            return False
    return True


@external
def onPaymentProof(request_id: uint256, error: uint64, data: Bytes[8192]):
    """
    @notice NOS's callback with a payment proof this lease asked for. The month counts as paid only when the bank
            says the transfer settled with exactly the lease's amount and currency, to its account, at its bank, with
            the month's reference, no earlier than one period before the first due date (a transfer from before this
            lease proves nothing); any other answer is logged as rejected and the month stays open for another proof.
    """
    assert msg.sender == NOS_ADDRESS, "only NOS answers"
    month_plus_one: uint256 = self.fiatRequestMonth[request_id]
    assert month_plus_one != 0, "not a pending request of this lease"
    self.fiatRequestMonth[request_id] = 0
    # The refund of the request answered before this one has arrived by now; this one's comes after we return.
    self._attribute_refunds()
    self.lastFiatPayer = self.fiatPayer[request_id]
    month: uint256 = month_plus_one - 1
    if error != 0:
        log FiatProofRejected(month=month, requestId=request_id, error=error, reason="the oracle could not read the bank")
        return
    if not self._is_payment_answer(data):
        log FiatProofRejected(month=month, requestId=request_id, error=0, reason="not a public payment proof")
        return
    settled: bool = False
    amount: uint256 = 0
    currency: String[256] = ""
    reference: String[256] = ""
    settled_at: uint64 = 0
    bank: String[256] = ""
    account_hash: bytes32 = empty(bytes32)
    settled, amount, currency, reference, settled_at, bank, account_hash = abi_decode(
        data, (bool, uint256, String[256], String[256], uint64, String[256], bytes32))
    reason: String[64] = ""
    if not settled:
        reason = "the bank does not say the transfer settled"
    elif amount != self.fiatAmount or keccak256(currency) != keccak256(self.fiatCurrency):
        reason = "not the rent's amount and currency"
    elif account_hash != self.fiatAccountHash or keccak256(bank) != keccak256(self.fiatBank):
        reason = "not the landlord's account at the lease's bank"
    elif keccak256(reference) != keccak256(self._fiat_reference(month)):
        reason = "not this month's reference"
    elif self.firstDue > self.period and convert(settled_at, uint256) < self.firstDue - self.period:
        reason = "settled before the lease began"
    elif self.recorded[month] or self.fiatProven[month]:
        reason = "this month is already proven"
    if len(reason) > 0:
        log FiatProofRejected(month=month, requestId=request_id, error=0, reason=reason)
        return
    self.fiatProven[month] = True
    self.fiatSettledAt[month] = convert(settled_at, uint256)
    self.fiatProofOf[month] = request_id
    log FiatRentProven(month=month, requestId=request_id, settledAt=convert(settled_at, uint256))


@external
def recordFiatPayment(month: uint256, claim_hash: bytes32, readers: DynArray[address, 16], payloads: DynArray[Bytes[4096], 16]) -> uint256:
    """
    @notice Records month `month`'s fiat rent, proven by the bank's datagram: an on-time or late claim on the tenant's
            identity by the settlement time the bank gave, committing to `claim_hash`, sealed to `readers`.
    """
    assert msg.sender == self.landlord or msg.sender == self.tenant, "only the landlord or the tenant records payments"
    assert self.fiatProven[month], "no bank proof of this month's rent"
    assert not self.recorded[month], "this month is recorded"
    paid_at: uint256 = self.fiatSettledAt[month]
    claim_type: uint256 = 0
    claim_id: uint256 = 0
    claim_type, claim_id = self._record(month, paid_at, claim_hash, readers, payloads)
    log FiatPaymentRecorded(month=month, onTime=claim_type == PAYMENT_ON_TIME, requestId=self.fiatProofOf[month], settledAt=paid_at, claimId=claim_id)
    return claim_id


@external
def withdrawRefund() -> uint256:
    """@notice Pays the caller what NOS refunded of the fees it paid for payment proofs."""
    self._attribute_refunds()
    amount: uint256 = self.refundOf[msg.sender]
    assert amount > 0, "no refund to withdraw"
    self.refundOf[msg.sender] = 0
    self.refundsHeld -= amount
    send(msg.sender, amount)
    return amount
