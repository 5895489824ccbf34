/// The block explorer the node serves at `GET /explorer`: one static page (HTML, CSS, vanilla
/// JavaScript, no build step) that reads everything through the node's own JSON-RPC. Routes live
/// in the URL fragment: `#/`, `#/block/<number|hash>`, `#/tx/<hash>`, `#/address/<address>`,
/// `#/jobs`, `#/job/<id>`, `#/chains`, `#/chain/<id>`. The front page and the job and child-chain
/// pages refresh themselves every 3 s.
public enum ExplorerPage {
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
  <nav><a href="#/">Blocks</a><a href="#/jobs">Work jobs</a><a href="#/chains">Child chains</a></nav>
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

async function route() {
  clearTimeout(refresh);
  const view = document.getElementById("view");
  const [, page, arg] = (location.hash || "#/").match(/^#\/([a-z]*)\/?(.*)$/) || [];
  const pages = { "": [home, true], block: [block, false], tx: [tx, false], address: [address, false], jobs: [jobs, true], job: [job, true], chains: [chains, true], chain: [chain, true] };
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
