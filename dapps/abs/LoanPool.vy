# pragma version ~=0.4.3
"""
@title LoanPool
@notice A special-purpose vehicle for an asset-backed security: loans originated as assets of the
        Assets system contract are pooled here with their terms, the pool issues senior and junior
        security tokens (1 token = 1 ANKR of face value), and every borrower repayment the servicer
        passes on is distributed by the waterfall: the servicing fee, then the senior tranche up to
        its face value plus coupon, then the junior tranche. Holders claim what they are owed.
        Distribution is exact: each payment adds floor((amount + carry) / supply) per token and
        carries the remainder to the next payment, so the pool never pays out a wei it did not get
        and keeps no wei it cannot account for.
        Roles: regulators see every loan in full, rating agencies see loan performance, the public
        sees the aggregates.
"""

interface Assets:
    def asset(id: uint256) -> (address, bytes32, uint8, uint256, uint256, uint64, uint64, uint256): view

ASSETS: constant(address) = 0x00000000000000000000000000000000000a0005
ASSET_ACTIVE: constant(uint8) = 1
TOKEN: constant(uint256) = 10 ** 18
SENIOR: constant(uint256) = 0
JUNIOR: constant(uint256) = 1
MAX_LOANS: constant(uint256) = 1000

event LoanAdded:
    loanId: indexed(uint256)
    assetId: indexed(uint256)
    principal: uint256

event Invested:
    investor: indexed(address)
    tranche: indexed(uint256)
    tokens: uint256

event Repaid:
    loanId: indexed(uint256)
    amount: uint256
    fee: uint256
    senior: uint256
    junior: uint256

event Missed:
    loanId: indexed(uint256)
    missed: uint256

event Transfer:
    tranche: indexed(uint256)
    sender: indexed(address)
    receiver: indexed(address)
    tokens: uint256

event Claimed:
    holder: indexed(address)
    amount: uint256

struct Loan:
    assetId: uint256
    principal: uint256
    rateBps: uint256
    termMonths: uint256
    borrowerCommitment: bytes32
    repaid: uint256
    missed: uint256

servicer: public(address)
regulatorList: DynArray[address, 8]
isRegulator: public(HashMap[address, bool])
isRatingAgency: public(HashMap[address, bool])
feeBps: public(uint256)
seniorCouponBps: public(uint256)

loans: HashMap[uint256, Loan]
loanCount: public(uint256)
assetPooled: public(HashMap[uint256, bool])
totalPrincipal: public(uint256)
totalRepaid: public(uint256)

supply: public(uint256[2])
sold: public(uint256[2])
balanceOf: public(HashMap[uint256, HashMap[address, uint256]])
seniorTarget: public(uint256)
paidToTranche: public(uint256[2])
feesPaid: public(uint256)

perToken: public(uint256[2])
carry: public(uint256[2])
settledPerToken: HashMap[uint256, HashMap[address, uint256]]
owed: public(HashMap[address, uint256])
claimedTotal: public(uint256)
# The borrower's data (salt ‖ data, whose keccak is the commitment), ECIES-sealed to each regulator.
sealedBorrower: HashMap[uint256, HashMap[address, Bytes[4096]]]


@deploy
def __init__(senior_tokens: uint256, junior_tokens: uint256, senior_coupon_bps: uint256, fee_bps: uint256,
             regulators: DynArray[address, 8], rating_agencies: DynArray[address, 8]):
    assert senior_tokens > 0 and junior_tokens > 0, "both tranches need tokens"
    assert fee_bps <= 1000 and senior_coupon_bps <= 10000, "fee at most 10%, coupon at most 100%"
    self.servicer = msg.sender
    self.supply = [senior_tokens, junior_tokens]
    self.seniorCouponBps = senior_coupon_bps
    self.feeBps = fee_bps
    # Face value plus coupon, in wei: what the senior tranche is owed before the junior gets anything.
    self.seniorTarget = senior_tokens * TOKEN * (10000 + senior_coupon_bps) // 10000
    self.regulatorList = regulators
    for r: address in regulators:
        self.isRegulator[r] = True
    for r: address in rating_agencies:
        self.isRatingAgency[r] = True


@external
def addLoan(asset_id: uint256, principal: uint256, rate_bps: uint256, term_months: uint256, borrower_commitment: bytes32) -> uint256:
    """@notice The servicer pools a loan whose asset it transferred to this pool, with its terms."""
    assert msg.sender == self.servicer, "only the servicer adds loans"
    assert self.sold[SENIOR] == 0 and self.sold[JUNIOR] == 0, "the pool is closed once tokens are sold"
    assert not self.assetPooled[asset_id], "this asset is pooled"
    assert self.loanCount < MAX_LOANS, "the pool is full"
    owner: address = empty(address)
    metadata: bytes32 = empty(bytes32)
    status: uint8 = 0
    valuation: uint256 = 0
    valuation_request: uint256 = 0
    created: uint64 = 0
    updated: uint64 = 0
    history: uint256 = 0
    owner, metadata, status, valuation, valuation_request, created, updated, history = staticcall Assets(ASSETS).asset(asset_id)
    assert status == ASSET_ACTIVE and owner == self, "transfer the loan's asset to the pool first"
    assert principal > 0 and term_months > 0, "a loan has principal and a term"
    loan_id: uint256 = self.loanCount
    self.loans[loan_id] = Loan(assetId=asset_id, principal=principal, rateBps=rate_bps, termMonths=term_months,
                               borrowerCommitment=borrower_commitment, repaid=0, missed=0)
    self.loanCount = loan_id + 1
    self.assetPooled[asset_id] = True
    self.totalPrincipal += principal
    log LoanAdded(loanId=loan_id, assetId=asset_id, principal=principal)
    return loan_id


@view
@external
def regulators() -> DynArray[address, 8]:
    """@notice The regulators (borrower data is sealed to each of them)."""
    return self.regulatorList


@external
def sealBorrower(loan_id: uint256, regulator: address, sealed: Bytes[4096]):
    """@notice The servicer stores the loan's borrower data sealed to a regulator's key."""
    assert msg.sender == self.servicer, "only the servicer seals borrower data"
    assert loan_id < self.loanCount, "no such loan"
    assert self.isRegulator[regulator], "borrower data is sealed to regulators only"
    self.sealedBorrower[loan_id][regulator] = sealed


@view
@external
def borrowerData(loan_id: uint256) -> Bytes[4096]:
    """@notice The borrower data sealed to the calling regulator (ciphertext; only its key opens it)."""
    assert self.isRegulator[msg.sender], "regulators only"
    return self.sealedBorrower[loan_id][msg.sender]


@payable
@external
def invest(tranche: uint256):
    """@notice Buy tokens of a tranche at face value (1 ANKR each); the proceeds buy the loans from the servicer."""
    assert tranche <= JUNIOR, "tranche 0 (senior) or 1 (junior)"
    assert self.loanCount > 0, "no loans pooled yet"
    assert msg.value > 0 and msg.value % TOKEN == 0, "pay whole tokens of 1 ANKR"
    tokens: uint256 = msg.value // TOKEN
    assert self.sold[tranche] + tokens <= self.supply[tranche], "not that many tokens left"
    self._settle(tranche, msg.sender)
    self.sold[tranche] += tokens
    self.balanceOf[tranche][msg.sender] += tokens
    send(self.servicer, msg.value)
    log Invested(investor=msg.sender, tranche=tranche, tokens=tokens)


@external
def transfer(tranche: uint256, receiver: address, tokens: uint256) -> bool:
    assert tranche <= JUNIOR and receiver != empty(address), "a tranche and a receiver"
    assert self.balanceOf[tranche][msg.sender] >= tokens, "not enough tokens"
    self._settle(tranche, msg.sender)
    self._settle(tranche, receiver)
    self.balanceOf[tranche][msg.sender] -= tokens
    self.balanceOf[tranche][receiver] += tokens
    log Transfer(tranche=tranche, sender=msg.sender, receiver=receiver, tokens=tokens)
    return True


@internal
def _settle(tranche: uint256, holder: address):
    # What the holder's tokens earned since it last settled becomes owed; exact (integer per token).
    self.owed[holder] += self.balanceOf[tranche][holder] * (self.perToken[tranche] - self.settledPerToken[tranche][holder])
    self.settledPerToken[tranche][holder] = self.perToken[tranche]


@internal
def _distribute(tranche: uint256, amount: uint256):
    total: uint256 = amount + self.carry[tranche]
    self.perToken[tranche] += total // self.supply[tranche]
    self.carry[tranche] = total % self.supply[tranche]
    self.paidToTranche[tranche] += amount


@view
@external
def waterfall(amount: uint256) -> (uint256, uint256, uint256):
    """@notice How a repayment of `amount` would split now: (fee, senior, junior)."""
    return self._waterfall(amount)


@view
@internal
def _waterfall(amount: uint256) -> (uint256, uint256, uint256):
    fee: uint256 = amount * self.feeBps // 10000
    rest: uint256 = amount - fee
    senior_due: uint256 = self.seniorTarget - self.paidToTranche[SENIOR]
    senior: uint256 = min(rest, senior_due)
    return fee, senior, rest - senior


@payable
@external
def repay(loan_id: uint256):
    """@notice The servicer passes on a borrower's repayment; it is split by the waterfall at once."""
    assert msg.sender == self.servicer, "only the servicer passes on repayments"
    assert loan_id < self.loanCount, "no such loan"
    assert self.sold[SENIOR] == self.supply[SENIOR] and self.sold[JUNIOR] == self.supply[JUNIOR], "the tranches are not fully sold"
    assert msg.value > 0, "a repayment has value"
    fee: uint256 = 0
    senior: uint256 = 0
    junior: uint256 = 0
    fee, senior, junior = self._waterfall(msg.value)
    self.loans[loan_id].repaid += msg.value
    self.totalRepaid += msg.value
    self.owed[self.servicer] += fee
    self.feesPaid += fee
    if senior > 0:
        self._distribute(SENIOR, senior)
    if junior > 0:
        self._distribute(JUNIOR, junior)
    log Repaid(loanId=loan_id, amount=msg.value, fee=fee, senior=senior, junior=junior)


@external
def markMissed(loan_id: uint256):
    assert msg.sender == self.servicer, "only the servicer reports missed payments"
    assert loan_id < self.loanCount, "no such loan"
    self.loans[loan_id].missed += 1
    log Missed(loanId=loan_id, missed=self.loans[loan_id].missed)


@view
@external
def claimable(holder: address) -> uint256:
    pending: uint256 = self.owed[holder]
    for t: uint256 in range(2):
        pending += self.balanceOf[t][holder] * (self.perToken[t] - self.settledPerToken[t][holder])
    return pending


@external
def claim() -> uint256:
    self._settle(SENIOR, msg.sender)
    self._settle(JUNIOR, msg.sender)
    amount: uint256 = self.owed[msg.sender]
    assert amount > 0, "nothing to claim"
    self.owed[msg.sender] = 0
    self.claimedTotal += amount
    send(msg.sender, amount)
    log Claimed(holder=msg.sender, amount=amount)
    return amount


@view
@external
def aggregates() -> (uint256, uint256, uint256, uint256, uint256, uint256):
    """@notice For everyone: loans, total principal, total repaid, fees, paid to senior, paid to junior."""
    return self.loanCount, self.totalPrincipal, self.totalRepaid, self.feesPaid, self.paidToTranche[SENIOR], self.paidToTranche[JUNIOR]


@view
@external
def loanPerformance(loan_id: uint256) -> (uint256, uint256, uint256, uint256, uint256):
    """@notice For rating agencies and regulators: principal, rate, term, repaid, missed payments."""
    assert self.isRatingAgency[msg.sender] or self.isRegulator[msg.sender], "rating agencies and regulators only"
    assert loan_id < self.loanCount, "no such loan"
    loan: Loan = self.loans[loan_id]
    return loan.principal, loan.rateBps, loan.termMonths, loan.repaid, loan.missed


@view
@external
def loanDetails(loan_id: uint256) -> (uint256, bytes32, uint256, uint256, uint256, uint256, uint256):
    """@notice For regulators: the asset, the borrower commitment and everything in loanPerformance."""
    assert self.isRegulator[msg.sender], "regulators only"
    assert loan_id < self.loanCount, "no such loan"
    loan: Loan = self.loans[loan_id]
    return loan.assetId, loan.borrowerCommitment, loan.principal, loan.rateBps, loan.termMonths, loan.repaid, loan.missed


@view
@external
def undistributed() -> uint256:
    """@notice Wei held for holders that no token has earned yet (the carries); with claimable sums it accounts for the balance."""
    return self.carry[SENIOR] + self.carry[JUNIOR]
