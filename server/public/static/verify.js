// In-browser re-check of a suicha-draw/1 record with WebCrypto: commitment,
// population digest, seed and the objects drawn per stratum (spec §1–§4).
(async function () {
  const out = document.getElementById("browser-check");
  const record = JSON.parse(document.getElementById("record-data").textContent);
  const enc = new TextEncoder();
  const hex = (buf) => Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, "0")).join("");
  const sha = async (bytes) => hex(await crypto.subtle.digest("SHA-256", bytes));
  const fromHex = (h) => new Uint8Array(h.match(/../g).map((x) => parseInt(x, 16)));
  const concat = (a, b) => { const c = new Uint8Array(a.length + b.length); c.set(a); c.set(b, a.length); return c; };
  const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);  // code-unit order; IDs here are ASCII
  if (!window.crypto || !crypto.subtle) { out.textContent = "此浏览器不支持WebCrypto，无法在浏览器中复算。"; return; }
  if (!record.server_secret) { out.textContent = "浏览器复算：抽签后公开服务器密钥，届时可复算。"; return; }
  const problems = [];
  const secret = fromHex(record.server_secret);
  if (await sha(secret) !== record.commitment) problems.push("承诺值");
  let text = "";
  for (const name of Object.keys(record.strata).sort(cmp)) {
    text += "stratum:" + name + "\n";
    for (const id of [...record.strata[name].population].sort(cmp)) text += id + "\n";
  }
  const digest = await sha(enc.encode(text));
  if (digest !== record.population_digest) problems.push("名单摘要");
  const seedHex = await sha(concat(secret, enc.encode("|" + record.witness_input + "|" + digest + "|" + record.plan_id)));
  if (seedHex !== record.seed) problems.push("随机种子");
  const seed = fromHex(seedHex);
  let objects = 0;
  for (const name of Object.keys(record.strata)) {
    const s = record.strata[name];
    const n = BigInt(s.population.length);
    const [whole, frac = ""] = s.ratio.split(".");
    const num = BigInt(whole + frac), den = 10n ** BigInt(frac.length);
    let k = (n * num + den - 1n) / den;
    if (k > n) k = n;
    if (num > 0n && n > 0n && k < 1n) k = 1n;
    if (s.cap !== null && BigInt(s.cap) < k) k = BigInt(s.cap);
    const keyed = [];
    for (const id of s.population) keyed.push([await sha(concat(seed, enc.encode("object|" + id))), id]);
    keyed.sort((a, b) => cmp(a[0], b[0]));
    const picked = keyed.slice(0, Number(k)).map((x) => x[1]);
    if (JSON.stringify(picked) !== JSON.stringify(record.selected[name] || [])) problems.push(name + "类抽中对象");
    objects += picked.length;
  }
  if (problems.length) {
    out.className = "bad";
    out.textContent = "✘ 浏览器复算不一致：" + problems.join("、");
  } else {
    out.className = "ok";
    out.textContent = "✔ 浏览器复算一致（WebCrypto）：承诺值、名单摘要、随机种子与" + objects + "个抽中对象均相符。";
  }
})().catch((e) => { document.getElementById("browser-check").textContent = "浏览器复算出错：" + e; });
