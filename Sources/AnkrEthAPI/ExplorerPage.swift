import AnkrPrimitives

/// The block explorer the node serves at `GET /explorer`: one static page (HTML, CSS, vanilla
/// JavaScript, no build step) that reads everything through the node's own JSON-RPC. Routes live
/// in the URL fragment: `#/`, `#/block/<number|hash>`, `#/tx/<hash>`, `#/address/<address>`,
/// `#/jobs`, `#/job/<id>`, `#/chains`, `#/chain/<id>`, `#/oracle`, `#/oracle/<id>`. The front page and the
/// job, child-chain and oracle pages refresh themselves every 3 s.
public enum ExplorerPage {
    /// The NOS contract (`AnkrOracle.NOSContract.address`; this module does not depend on AnkrOracle).
    static let nosAddress = "0x00000000000000000000000000000000000a0002"
    /// The topic of a NOS event: the oracle pages find a request's events by it.
    static func topic(_ signature: String) -> String { Keccak256.hash(Array(signature.utf8)).hexPrefixed }
    /// The 4-byte selector of a NOS function, for the page's `eth_call`s.
    static func selector(_ signature: String) -> String { Array(Keccak256.hash(Array(signature.utf8))[0..<4]).hexPrefixed }

    public static let html = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ankr explorer</title>
<style>
  :root { --fg:#1d2330; --muted:#6b7385; --line:#e3e6ec; --accent:#1f5fd1; --bad:#b3261e; --good:#1e7d32; }
  * { box-sizing: border-box; }
  body { margin:0; font:14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color:var(--fg); background:#f7f8fa; }
  header { background:#12203a; color:#fff; padding:10px 20px; display:flex; gap:20px; align-items:center; flex-wrap:wrap; }
  header a { color:#fff; text-decoration:none; font-weight:600; }
  header nav a { font-weight:400; margin-right:14px; opacity:.9; }
  header form { margin-left:auto; }
  header label { font-size:13px; opacity:.9; margin-right:4px; }
  header input { width:420px; max-width:70vw; padding:6px 8px; border-radius:4px; border:0; font:inherit; }
  main { padding:18px 20px; max-width:1300px; margin:0 auto; }
  h1 { font-size:20px; margin:4px 0 14px; }
  h2 { font-size:16px; margin:22px 0 8px; }
  table { border-collapse:collapse; width:100%; background:#fff; border:1px solid var(--line); }
  th, td { text-align:left; padding:6px 9px; border-bottom:1px solid var(--line); vertical-align:top; }
  th { background:#f0f2f6; font-weight:600; font-size:12px; color:var(--muted); text-transform:uppercase; letter-spacing:.03em; }
  td.k { width:220px; color:var(--muted); }
  code, .mono { font-family:ui-monospace, SFMono-Regular, Menlo, monospace; font-size:12.5px; word-break:break-all; }
  a { color:var(--accent); }
  .muted { color:var(--muted); }
  .ok { color:var(--good); font-weight:600; } .fail { color:var(--bad); font-weight:600; }
  .cards { display:flex; gap:12px; flex-wrap:wrap; margin-bottom:6px; }
  .card { background:#fff; border:1px solid var(--line); padding:10px 14px; min-width:150px; }
  .card b { display:block; font-size:18px; }
  .error { background:#fdecea; border:1px solid #f5c2bd; color:var(--bad); padding:10px 14px; }
  .bar { display:inline-block; width:120px; height:9px; background:var(--line); vertical-align:middle; margin-right:6px; }
  .bar i { display:block; height:100%; background:var(--good); }
</style>
</head>
<body>
<header>
  <a href="#/">Ankr explorer</a>
  <nav><a href="#/">Blocks</a><a href="#/jobs">Work jobs</a><a href="#/chains">Child chains</a><a href="#/oracle">Oracle</a></nav>
  <form id="search"><label for="q">Search</label> <input id="q" title="Block number or hash, transaction hash, address, or job N"
    aria-label="Block number or hash, transaction hash, address, or job N" autocomplete="off"></form>
</header>
<main id="view"><p class="muted">Loading…</p></main>
<script>
"use strict";
let rpcId = 0;
async function rpc(method, params = []) {
  const response = await fetch("/", { method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: ++rpcId, method, params }) });
  const body = await response.json();
  if (body.error) throw new Error(body.error.message);
  return body.result;
}
async function batch(calls) {
  const response = await fetch("/", { method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify(calls.map(([method, params], i) => ({ jsonrpc: "2.0", id: i, method, params }))) });
  const bodies = await response.json();
  const byId = new Map(bodies.map(b => [b.id, b]));
  return calls.map((_, i) => { const b = byId.get(i); if (!b || b.error) return null; return b.result; });
}
const esc = s => String(s ?? "").replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
const num = q => q == null ? null : BigInt(q);
const dec = q => q == null ? "—" : BigInt(q).toString();
const short = h => h ? esc(h.slice(0, 10) + "…" + h.slice(-6)) : "—";
function ankr(q) {
  if (q == null) return "—";
  const wei = BigInt(q), unit = 10n ** 18n, whole = wei / unit;
  let frac = (wei % unit).toString().padStart(18, "0").replace(/0+$/, "");
  return (frac ? `${whole}.${frac}` : `${whole}`) + " ANKR";
}
function age(ts) {
  const s = Math.max(0, Math.floor(Date.now() / 1000) - Number(BigInt(ts)));
  return s < 60 ? `${s}s ago` : s < 3600 ? `${Math.floor(s / 60)}m ago` : s < 172800 ? `${Math.floor(s / 3600)}h ago` : `${Math.floor(s / 86400)}d ago`;
}
const blockLink = n => `<a href="#/block/${esc(n)}">${esc(n)}</a>`;
const txLink = h => `<a class="mono" href="#/tx/${esc(h)}">${short(h)}</a>`;
const addrLink = (a, label) => a ? `<a class="mono" href="#/address/${esc(a)}">${label ? esc(label) : esc(a)}</a>` : "—";
const rows = pairs => `<table>${pairs.map(([k, v]) => `<tr><td class="k">${esc(k)}</td><td>${v}</td></tr>`).join("")}</table>`;
let contracts = null;
async function systemContracts() {
  if (!contracts) {
    contracts = new Map();
    for (const c of await rpc("ankr_systemContracts")) if (c.address) contracts.set(c.address.toLowerCase(), c.name);
    try { for (const c of await rpc("ankr_childChains")) contracts.set(c.root.toLowerCase(), `PlasmaRoot of chain ${dec(c.id)}`); } catch (e) {}
  }
  return contracts;
}
function sealCells(seal, difficulty) {
  if (!seal || typeof seal !== "object") return `<td class="muted">dev</td><td>—</td><td>—</td><td>${dec(difficulty)}</td>`;
  return `<td class="mono" title="${esc(seal.platformId)}">${short(seal.platformId)}</td><td>${dec(seal.fuel)}</td>` +
         `<td class="mono" title="${esc(seal.moduleHash)}">${short(seal.moduleHash)}</td><td>${dec(difficulty)}</td>`;
}

let refresh = null;
function every(ms, render) { refresh = setTimeout(async () => { if (await render()) every(ms, render); }, ms); }

async function home() {
  const [info, latest] = await batch([["ankr_nodeInfo", []], ["eth_blockNumber", []]]);
  const head = Number(BigInt(latest));
  const count = Math.min(head + 1, 15);
  const blocks = await batch([...Array(count).keys()].map(i => ["eth_getBlockByNumber", ["0x" + (head - i).toString(16), false]]));
  let pouw = blocks.some(b => b && b.seal && typeof b.seal === "object");
  let difficulty = null;
  if (pouw) { try { difficulty = (await rpc("ankr_difficulty")).next; } catch (e) {} }
  return `<h1>Chain ${dec(info.chainId)}</h1>
    <div class="cards">
      <div class="card">Head<b id="head">${dec(info.headNumber)}</b></div>
      <div class="card">Peers<b>${esc(info.peerCount)}</b></div>
      <div class="card">Pending transactions<b>${esc(info.mempoolSize)}</b></div>
      <div class="card">Consensus<b>${pouw ? "PoUW" : "dev"}</b></div>
      ${difficulty ? `<div class="card">Next difficulty<b>${dec(difficulty)}</b></div>` : ""}
    </div>
    <h2>Latest blocks</h2>
    <table id="blocks"><tr><th>Block</th><th>Age</th><th>Txs</th><th>Gas used</th><th>Coinbase</th><th>Platform</th><th>Fuel</th><th>Module</th><th>Difficulty</th></tr>
    ${blocks.filter(Boolean).map(b => `<tr class="block"><td>${blockLink(dec(b.number))}</td><td>${age(b.timestamp)}</td><td>${b.transactions.length}</td>
      <td>${dec(b.gasUsed)}</td><td>${addrLink(b.miner, b.miner.slice(0, 10) + "…")}</td>${sealCells(b.seal, b.difficulty)}</tr>`).join("")}
    </table>`;
}

async function block(id) {
  const b = /^0x[0-9a-fA-F]{64}$/.test(id) ? await rpc("eth_getBlockByHash", [id, true])
                                            : await rpc("eth_getBlockByNumber", ["0x" + BigInt(id).toString(16), true]);
  if (!b) return `<div class="error">No block ${esc(id)}</div>`;
  const seal = b.seal && typeof b.seal === "object" ? b.seal : null;
  const names = await systemContracts();
  return `<h1>Block ${dec(b.number)}</h1>` + rows([
      ["Hash", `<span class="mono">${esc(b.hash)}</span>`], ["Parent", `<a class="mono" href="#/block/${esc(b.parentHash)}">${esc(b.parentHash)}</a>`],
      ["Time", `${new Date(Number(BigInt(b.timestamp)) * 1000).toISOString()} (${age(b.timestamp)})`],
      ["Coinbase", addrLink(b.miner)], ["Gas used / limit", `${dec(b.gasUsed)} / ${dec(b.gasLimit)}`],
      ["Base fee", `${dec(b.baseFeePerGas)} wei`], ["Difficulty", dec(b.difficulty)], ["Total difficulty", dec(b.totalDifficulty)],
      ["State root", `<span class="mono">${esc(b.stateRoot)}</span>`], ["Child chains root", `<span class="mono">${esc(b.childChainsRoot)}</span>`]])
    + (seal ? `<h2>Proof of Useful Work seal</h2>` + rows([
      ["Enclave", `<span class="mono">${esc(seal.enclave)}</span>`], ["Platform", `<span class="mono">${esc(seal.platformId)}</span>`],
      ["Attestation", seal.evidence ? esc(seal.evidence) + " evidence in the seal" : "registered in the EnclaveRegistry"],
      ["Module", `<span class="mono">${esc(seal.moduleHash)}</span>`],
      ["Subtask", `<span class="mono">${esc(seal.subtaskId)}</span>`], ["Fuel", dec(seal.fuel)], ["Win", esc(seal.win)]]) : "")
    + `<h2>Transactions (${b.transactions.length})</h2>
      <table id="txs"><tr><th>Hash</th><th>From</th><th>To</th><th>Value</th></tr>
      ${b.transactions.map(t => `<tr><td>${txLink(t.hash)}</td><td>${addrLink(t.from)}</td>
        <td>${t.to ? addrLink(t.to, names.get(t.to.toLowerCase()) || t.to) : "contract creation"}</td><td>${ankr(t.value)}</td></tr>`).join("")}</table>`;
}

function args(list) {
  return list.map(a => `<div><span class="muted">${esc(a.name)}</span> <span class="muted">(${esc(a.type)})</span> = ` +
    `<span class="mono">${esc(Array.isArray(a.value) ? JSON.stringify(a.value) : a.value)}</span></div>`).join("");
}

async function tx(hash) {
  const [t, r, decoded] = await batch([["eth_getTransactionByHash", [hash]], ["eth_getTransactionReceipt", [hash]], ["ankr_decodeTransaction", [hash]]]);
  if (!t) return `<div class="error">No transaction ${esc(hash)}</div>`;
  const names = await systemContracts();
  const status = !r ? `<span class="muted">pending</span>` : r.status === "0x1" ? `<span class="ok" id="status">success</span>` : `<span class="fail" id="status">failed</span>`;
  let call = "";
  if (decoded && decoded.contract) {
    call = `<h2>Call to system contract ${esc(decoded.contract)}</h2>` + (decoded.function
      ? rows([["Function", `<span class="mono" id="tx-function">${esc(decoded.function)}</span>`], ["Arguments", args(decoded.arguments)]])
      : `<p class="muted">Input does not match the contract's interface.</p>`);
  }
  const events = decoded && decoded.events.length ? `<h2>Events</h2><ul id="events">${decoded.events.map(e =>
      `<li><b>${esc(e.contract ? e.contract + "." : "")}${esc(e.event || "log")}</b> ${args(e.arguments)}</li>`).join("")}</ul>` : "";
  return `<h1>Transaction</h1>` + rows([
      ["Hash", `<span class="mono">${esc(t.hash)}</span>`], ["Status", status],
      ["Block", t.blockNumber ? blockLink(dec(t.blockNumber)) : "pending"], ["From", addrLink(t.from)],
      ["To", t.to ? addrLink(t.to, names.get(t.to.toLowerCase()) || t.to) : "contract creation"], ["Value", `<span id="value">${ankr(t.value)}</span>`],
      ["Nonce", dec(t.nonce)], ["Gas used / limit", `${r ? dec(r.gasUsed) : "—"} / ${dec(t.gas)}`],
      ["Gas price paid", r ? `${dec(r.effectiveGasPrice)} wei` : "—"], ["Type", dec(t.type)],
      ["Input", `<span class="mono">${esc(t.input.length > 400 ? t.input.slice(0, 400) + "…" : t.input)}</span>`]]) + call + events;
}

async function address(a) {
  const [balance, nonce, code, recent] = await batch([["eth_getBalance", [a, "latest"]], ["eth_getTransactionCount", [a, "latest"]],
    ["eth_getCode", [a, "latest"]], ["ankr_accountTransactions", [a, { blocks: "0x3e8", limit: "0x19" }]]]);
  if (balance == null) return `<div class="error">${esc(a)} is not an address</div>`;
  const name = (await systemContracts()).get(a.toLowerCase());
  const txs = recent ? recent.transactions : [];
  return `<h1>${name ? "System contract " + esc(name) : "Account"}</h1>` + rows([
      ["Address", `<span class="mono">${esc(a)}</span>`], ["Balance", `<span id="balance">${ankr(balance)}</span>`],
      ["Nonce", `<span id="nonce">${dec(nonce)}</span>`], ["Code", code && code !== "0x" ? `${(code.length - 2) / 2} bytes` : "none"]])
    + `<h2>Recent transactions <span class="muted">(last ${recent ? dec(recent.scannedBlocks) : 0} blocks)</span></h2>
      <table id="account-txs"><tr><th>Hash</th><th>Block</th><th>From</th><th>To</th><th>Value</th></tr>
      ${txs.map(t => `<tr><td>${txLink(t.hash)}</td><td>${blockLink(dec(t.blockNumber))}</td><td>${addrLink(t.from)}</td>
        <td>${addrLink(t.to)}</td><td>${ankr(t.value)}</td></tr>`).join("") || `<tr><td colspan="5" class="muted">none</td></tr>`}</table>`;
}

function progress(done, total) {
  const pct = total > 0n ? Number(done * 100n / total) : 0;
  return `<span class="bar"><i style="width:${pct}%"></i></span>${done}/${total}`;
}

async function jobs() {
  let list;
  try { list = await rpc("work_listJobs", [{ limit: "0x32" }]); }
  catch (e) { return `<h1>Work jobs</h1><div class="error">${esc(e.message)}</div>`; }
  return `<h1>Work jobs</h1>
    <table id="jobs"><tr><th>Job</th><th>Status</th><th>Progress</th><th>Poster</th><th>Module</th><th>Price / fuel</th><th>Escrow left</th><th>Posted</th></tr>
    ${list.map(j => `<tr class="job"><td><a href="#/job/${dec(j.id)}">${dec(j.id)}</a></td><td>${esc(j.status)}</td>
      <td>${progress(num(j.completed), num(j.subtasks))}</td><td>${addrLink(j.poster, j.poster.slice(0, 10) + "…")}</td>
      <td class="mono">${short(j.moduleHash)}</td><td>${dec(j.pricePerFuel)} wei</td><td>${ankr(j.escrow)}</td>
      <td>${blockLink(dec(j.postedAt))}</td></tr>`).join("") || `<tr><td colspan="8" class="muted">No jobs yet: post one with <code>ankr work post</code>.</td></tr>`}
    </table>`;
}

async function job(id) {
  const q = "0x" + BigInt(id).toString(16);
  const [j, results] = await batch([["work_getJob", [q]], ["work_getResults", [q]]]);
  if (!j) return `<div class="error">No job ${esc(id)}</div>`;
  return `<h1>Job ${dec(j.id)}</h1>` + rows([
      ["Status", `<span id="job-status">${esc(j.status)}</span>`], ["Progress", progress(num(j.completed), num(j.subtasks))],
      ["Poster", addrLink(j.poster)], ["Module", `<span class="mono">${esc(j.moduleHash)}</span>`],
      ["Fuel per subtask", dec(j.maxFuelPerSubtask)], ["Price per fuel", `${dec(j.pricePerFuel)} wei`],
      ["Escrow left", ankr(j.escrow)], ["Bond per result", ankr(j.requiredBond)], ["Posted in block", blockLink(dec(j.postedAt))]])
    + `<h2>Subtasks</h2><table id="results"><tr><th>#</th><th>Status</th><th>Worker (miner)</th><th>Fuel</th><th>Paid</th><th>Output</th></tr>
      ${(results || []).map(r => `<tr class="result"><td>${dec(r.index)}</td><td>${esc(r.status)}</td><td>${addrLink(r.worker)}</td>
        <td>${r.fuel ? dec(r.fuel) : "—"}</td><td>${r.payment ? ankr(r.payment) : "—"}</td>
        <td class="mono">${r.output ? esc(r.output.length > 70 ? r.output.slice(0, 70) + "…" : r.output) : "—"}</td></tr>`).join("")}</table>`;
}

async function chains() {
  let list;
  try { list = await rpc("ankr_childChains"); }
  catch (e) { return `<h1>Child chains</h1><div class="error">${esc(e.message)}</div>`; }
  return `<h1>Child chains</h1>
    <table id="chains"><tr><th>Chain</th><th>Root contract</th><th>Operator</th><th>Stake</th><th>Latest block</th><th>Its root</th><th>Queued exits</th></tr>
    ${list.map(c => `<tr class="chain"><td><a href="#/chain/${dec(c.id)}">${dec(c.id)}</a></td><td>${addrLink(c.root)}</td>
      <td>${addrLink(c.operator, c.operator.slice(0, 10) + "…")}</td><td>${ankr(c.stake)}</td>
      <td>${c.latestBlock ? dec(c.latestBlock.number) : "—"}</td><td class="mono">${c.latestBlock ? short(c.latestBlock.root) : "—"}</td>
      <td>${dec(c.queuedExits)}</td></tr>`).join("") || `<tr><td colspan="7" class="muted">No child chains yet: the ChildChainRegistry creates them.</td></tr>`}
    </table>`;
}

async function chain(id) {
  const c = await rpc("ankr_childChain", ["0x" + BigInt(id).toString(16)]);
  if (!c) return `<div class="error">No child chain ${esc(id)}</div>`;
  const b = c.latestBlock;
  return `<h1>Child chain ${dec(c.id)}</h1>` + rows([
      ["Root contract", addrLink(c.root)], ["Operator", addrLink(c.operator)], ["Stake", ankr(c.stake)],
      ["Held by the root", ankr(c.balance)], ["Next child block", dec(c.nextChildBlock)],
      ["Latest block", b ? `${dec(b.number)} — root <span class="mono">${esc(b.root)}</span>, header <span class="mono">${esc(b.headerHash)}</span>, ${age(b.timestamp)}` : "none yet"]])
    + `<h2>Pending exits (${dec(c.queuedExits)})</h2><table id="exits"><tr><th>Output</th><th>Owner</th><th>Amount</th><th>Matures</th></tr>
      ${c.exits.map(e => `<tr class="exit"><td class="mono">${esc(e.position)}</td><td>${addrLink(e.owner)}</td><td>${ankr(e.amount)}</td>
        <td>${new Date(Number(BigInt(e.exitableAt)) * 1000).toISOString()}</td></tr>`).join("") || `<tr><td colspan="4" class="muted">none</td></tr>`}</table>`;
}

const NOS = "\#(nosAddress)";
const NOS_EVENTS = { "\#(topic("RequestInfo(uint256,address,uint8,bytes,uint256,address,bytes4)"))": "RequestInfo",
  "\#(topic("Delivered(uint256,address,uint64,bytes)"))": "Delivered", "\#(topic("Cancelled(uint256,uint256)"))": "Cancelled",
  "\#(topic("CallbackResult(uint256,bool,uint256)"))": "CallbackResult" };
const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";
// ABI decoding of the NOS contract's params and answers, defensive: the data is whatever a requester sent.
const word = (hex, i) => BigInt("0x" + (hex.slice(2 + 64 * i, 66 + 64 * i) || "0"));
function abiBytes(hex, offset) {
  if (offset > BigInt(hex.length)) return null;
  const at = 2 + Number(offset) * 2, length = BigInt("0x" + (hex.slice(at, at + 64) || "0"));
  if (length > BigInt(hex.length)) return null;
  return hex.slice(at + 64, at + 64 + Number(length) * 2);
}
function utf8(h) {
  if (h == null) return null;
  try { return new TextDecoder("utf-8", { fatal: true }).decode(new Uint8Array((h.match(/../g) || []).map(b => parseInt(b, 16)))); } catch (e) { return null; }
}
const abiString = (hex, i) => utf8(abiBytes(hex, word(hex, i)));
function abiStrings(hex, i) {
  const base = word(hex, i);
  if (base > BigInt(hex.length)) return [];
  const array = "0x" + hex.slice(2 + Number(base) * 2), count = word(array, 0);
  if (count > 64n || count * 64n > BigInt(array.length)) return [];
  const inner = "0x" + array.slice(66);
  return [...Array(Number(count)).keys()].map(k => utf8(abiBytes(inner, word(inner, k))));
}
const signed = v => v >= 2n ** 255n ? v - 2n ** 256n : v;
const kindOf = type => Number(BigInt(type)) & 0x7f;
function requestKind(type) {
  const t = Number(BigInt(type));
  return ({ 1: "single", 2: "median", 3: "bulk" }[t & 0x7f] || `type ${t & 0x7f}`) + (t & 0x80 ? ", private" : "");
}
function requestParams(type, params) {
  if (!params || Number(BigInt(type)) & 0x80) return `<span class="muted">encrypted to the oracle enclave</span>`;
  try {
    const urls = kindOf(type) === 2 ? abiStrings(params, 0) : [abiString(params, 0)];
    // Bulk params are (url, format, paths); single (url, path, decimals); median (urls, path, decimals, quorum, bps).
    const path = kindOf(type) === 3 ? abiStrings(params, 2).join(", ") : abiString(params, 1);
    return urls.map(u => `<span class="mono">${esc(u)}</span>`).join("<br>") + ` <span class="muted">at</span> <code>${esc(path)}</code>`;
  } catch (e) { return `<span class="muted">undecodable params</span>`; }
}
function answer(req, resp) {
  if (!req) return "—";
  if (!resp) return `<span class="muted">${esc(req.status)}</span>`;
  if (resp.errorName !== "none") return `<span class="fail">${esc(resp.errorName)}</span>`;
  if (req.private) return `<span class="muted">encrypted for the requester</span>`;
  const d = resp.data;
  try {
    switch (kindOf(req.type)) {
      case 1: return d.length > 2 + 128 ? esc(abiString(d, 0)) : esc(signed(word(d, 0)).toString());
      case 2: return `${esc(signed(word(d, 0)).toString())} <span class="muted">(${esc(word(d, 1).toString())} sources agreeing)</span>`;
      case 3: return `${abiStrings(d, 1).map(v => esc(v)).join(", ")} <span class="muted">document</span> <span class="mono">${short("0x" + d.slice(2, 66))}</span>`;
    }
  } catch (e) {}
  return `<span class="mono">${short(d)}</span>`;
}
function eventsById(logs) {
  const by = new Map();
  for (const l of logs || []) {
    const name = NOS_EVENTS[l.topics[0]];
    if (!name || l.topics.length < 2) continue;
    const id = BigInt(l.topics[1]).toString();
    if (!by.has(id)) by.set(id, {});
    by.get(id)[name] = l;
  }
  return by;
}
function callbackCell(req, events) {
  if (!req || req.callback === ZERO_ADDRESS) return `<span class="muted">none</span>`;
  const r = events && events.CallbackResult;
  if (!r) return addrLink(req.callback, req.callback.slice(0, 10) + "…");
  const ok = word(r.data, 0) !== 0n;
  return `${addrLink(req.callback, req.callback.slice(0, 10) + "…")} <span class="${ok ? "ok" : "fail"}">${ok ? "ran" : "failed"}</span>`;
}

async function oracle() {
  const [key, count, latest] = await batch([["nos_oracle", []], ["nos_requestCount", []], ["eth_blockNumber", []]]);
  if (count == null) return `<h1>Oracle</h1><div class="error">This node does not serve the nos_ methods.</div>`;
  const n = Number(BigInt(count)), shown = Math.min(n, 50);
  const ids = [...Array(shown).keys()].map(i => "0x" + (n - i).toString(16));
  const answers = await batch(ids.flatMap(id => [["nos_getRequest", [id]], ["nos_getResponse", [id]]]));
  const reqs = ids.map((_, i) => answers[2 * i]), resps = ids.map((_, i) => answers[2 * i + 1]);
  const head = BigInt(latest), oldest = reqs.reduce((m, r) => r && BigInt(r.requestedAt) < m ? BigInt(r.requestedAt) : m, head);
  const from = oldest > head - 9999n ? oldest : (head > 9999n ? head - 9999n : 0n);
  let logs = [];
  try { logs = await rpc("eth_getLogs", [{ address: NOS, fromBlock: "0x" + from.toString(16), toBlock: latest, topics: [Object.keys(NOS_EVENTS)] }]); } catch (e) {}
  const events = eventsById(logs);
  const fees = reqs.reduce((s, r) => s + (r ? BigInt(r.fee) : 0n), 0n);
  const answered = resps.filter(r => r).length;
  return `<h1>Oracle</h1>
    <div class="cards">
      <div class="card">Requests<b id="oracle-count">${n}</b></div>
      <div class="card">Answered (of the latest ${shown})<b>${answered}</b></div>
      <div class="card">Fees offered (latest ${shown})<b>${ankr(fees)}</b></div>
      <div class="card">Oracle enclave<b class="mono">${key ? addrLink(key.enclave, key.enclave.slice(0, 10) + "…") : "none registered"}</b></div>
    </div>
    <h2>Latest requests</h2>
    <table id="oracle-requests"><tr><th>Request</th><th>Status</th><th>Kind</th><th>Source</th><th>Answer</th><th>Fee</th><th>Requester</th><th>Callback</th><th>Block</th></tr>
    ${reqs.map((r, i) => {
      if (!r) return "";
      const ev = events.get(BigInt(r.id).toString()) || {};
      const params = ev.RequestInfo ? "0x" + (abiBytes(ev.RequestInfo.data, word(ev.RequestInfo.data, 1)) || "") : null;
      return `<tr class="oracle-request"><td><a href="#/oracle/${dec(r.id)}">${dec(r.id)}</a></td><td>${esc(r.status)}</td><td>${requestKind(r.type)}</td>
        <td>${params ? requestParams(r.type, params) : "—"}</td><td class="answer">${answer(r, resps[i])}</td><td>${ankr(r.fee)}</td>
        <td>${addrLink(r.requester, r.requester.slice(0, 10) + "…")}</td><td>${callbackCell(r, ev)}</td><td>${blockLink(dec(r.requestedAt))}</td></tr>`;
    }).join("") || `<tr><td colspan="9" class="muted">No requests yet: ask with <code>ankr oracle request</code>.</td></tr>`}
    </table>`;
}

async function oracleRequest(id) {
  const q = "0x" + BigInt(id).toString(16);
  const [r, resp, minimum] = await batch([["nos_getRequest", [q]], ["nos_getResponse", [q]],
    ["eth_call", [{ to: NOS, data: "\#(selector("minimumFee()"))" }, "latest"]]]);
  if (!r) return `<div class="error">No oracle request ${esc(id)}</div>`;
  const topic = "0x" + BigInt(r.id).toString(16).padStart(64, "0");
  let logs = [];
  try { logs = await rpc("eth_getLogs", [{ address: NOS, fromBlock: r.requestedAt, toBlock: "latest", topics: [Object.keys(NOS_EVENTS), topic] }]); } catch (e) {}
  const ev = eventsById(logs).get(BigInt(r.id).toString()) || {};
  const params = ev.RequestInfo ? "0x" + (abiBytes(ev.RequestInfo.data, word(ev.RequestInfo.data, 1)) || "") : null;
  const delivery = ev.Delivered ? await rpc("eth_getTransactionByHash", [ev.Delivered.transactionHash]) : null;
  const cancelled = ev.Cancelled ? `${ankr("0x" + ev.Cancelled.data.slice(2, 66))} refunded, ${txLink(ev.Cancelled.transactionHash)}` : null;
  return `<h1>Oracle request ${dec(r.id)}</h1>` + rows([
      ["Status", `<span id="oracle-status">${esc(r.status)}</span>`], ["Kind", requestKind(r.type)],
      ["Source", params ? requestParams(r.type, params) : "—"], ["Params hash", `<span class="mono">${esc(r.paramsHash)}</span>`],
      ["Requester", addrLink(r.requester)], ["Requested", `block ${blockLink(dec(r.requestedAt))}${ev.RequestInfo ? ", " + txLink(ev.RequestInfo.transactionHash) : ""}`],
      ["Fee", `${ankr(r.fee)} <span class="muted">(minimum ${minimum ? ankr(minimum) : "—"}: the relay earns its gas and the minimum for an answer; the rest returns to the requester)</span>`],
      ["Answer", `<span id="oracle-answer">${answer(r, resp)}</span>`],
      ["Delivered", ev.Delivered ? `block ${blockLink(dec(ev.Delivered.blockNumber))}, ${txLink(ev.Delivered.transactionHash)} by ${addrLink(delivery && delivery.from)}, enclave ${addrLink("0x" + ev.Delivered.topics[2].slice(26))}` : "not yet"],
      ["Callback", r.callback === ZERO_ADDRESS ? "none" : `${addrLink(r.callback)}${ev.CallbackResult ? (word(ev.CallbackResult.data, 0) !== 0n ? ` <span class="ok">ran</span>` : ` <span class="fail">failed</span>`) + `, gas used ${word(ev.CallbackResult.data, 1)}` : ""}`],
      ...(cancelled ? [["Cancelled", cancelled]] : [])]);
}

async function route() {
  clearTimeout(refresh);
  const view = document.getElementById("view");
  const [, page, arg] = (location.hash || "#/").match(/^#\/([a-z]*)\/?(.*)$/) || [];
  const pages = { "": [home, true], block: [block, false], tx: [tx, false], address: [address, false], jobs: [jobs, true], job: [job, true], chains: [chains, true], chain: [chain, true], oracle: [a => a ? oracleRequest(a) : oracle(), true] };
  const [render, live] = pages[page] || [async () => `<div class="error">Unknown page ${esc(location.hash)}</div>`, false];
  const draw = async () => {
    try { view.innerHTML = await render(decodeURIComponent(arg || "")); }
    catch (e) { view.innerHTML = `<div class="error">${esc(e.message)}</div>`; }
    document.body.dataset.rendered = String(Date.now());
    return live && location.hash === current;
  };
  const current = location.hash;
  if (await draw()) every(3000, draw);
}

document.getElementById("search").addEventListener("submit", async ev => {
  ev.preventDefault();
  const q = document.getElementById("q").value.trim();
  if (/^\d+$/.test(q)) location.hash = `#/block/${q}`;
  else if (/^job\s*\d+$/i.test(q)) location.hash = `#/job/${q.replace(/\D/g, "")}`;
  else if (/^0x[0-9a-fA-F]{40}$/.test(q)) location.hash = `#/address/${q}`;
  else if (/^0x[0-9a-fA-F]{64}$/.test(q)) {
    let t = null; try { t = await rpc("eth_getTransactionByHash", [q]); } catch (e) {}
    location.hash = t ? `#/tx/${q}` : `#/block/${q}`;
  }
});
window.addEventListener("hashchange", route);
route();
</script>
</body>
</html>
"""#
}
