// tratado: a head of delegation's key, kept in this browser, and the signatures it makes.
//
// Plain JavaScript, no build step, no library: Ed25519 from the browser's WebCrypto.
// The formats are those of `tratado keys` and of C2SP signed notes
// (docs/record-format.md), so a key made here works with `tratado cosign`, and a key
// file made by `tratado keys` can be loaded here:
//   signer key   PRIVATE+KEY+<name>+<key ID, 8 hex>+<base64(0x01 || 32-byte seed)>
//   verifier key <name>+<key ID>+<base64(0x01 || 32-byte public key)>
//   key ID       the first 4 bytes of SHA-256(name || 0x0A || 0x01 || public key)
//   signature    "— <name> " + base64(key ID || Ed25519 signature of the text)
// The private key never leaves the browser: it is kept in IndexedDB as a key the page
// can use but not read (non-extractable), and offered once as a file to keep safe.
// The server only ever receives verifier keys and signature lines.
"use strict";

(function () {
  const DB = "tratado-keys";
  const STORE = "keys";
  const PKCS8_PREFIX = new Uint8Array([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03,
    0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]);
  const encoder = new TextEncoder();

  function b64(bytes) {
    let text = "";
    for (const b of bytes) text += String.fromCharCode(b);
    return btoa(text);
  }

  function unb64(text) {
    const raw = atob(text);
    return Uint8Array.from(raw, (c) => c.charCodeAt(0));
  }

  function hex(bytes) {
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function join(...parts) {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) { out.set(p, at); at += p.length; }
    return out;
  }

  async function keyId(name, publicKey) {
    const digest = await crypto.subtle.digest("SHA-256",
      join(encoder.encode(name), new Uint8Array([0x0a, 0x01]), publicKey));
    return new Uint8Array(digest).slice(0, 4);
  }

  function checkName(name) {
    if (!name || /[\s+]/.test(name)) throw new Error("a key name has no spaces and no '+'");
    return name;
  }

  // -- the key store (IndexedDB) ----------------------------------------------------------

  function openStore() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DB, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function storeKey(slot, entry) {
    const db = await openStore();
    await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, "readwrite");
      tx.objectStore(STORE).put(entry, slot);
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
  }

  async function loadKey(slot) {
    const db = await openStore();
    return new Promise((resolve, reject) => {
      const request = db.transaction(STORE).objectStore(STORE).get(slot);
      request.onsuccess = () => resolve(request.result || null);
      request.onerror = () => reject(request.error);
    });
  }

  // -- keys -------------------------------------------------------------------------------

  async function fromSeed(name, seed) {
    const usable = await crypto.subtle.importKey("pkcs8", join(PKCS8_PREFIX, seed),
      { name: "Ed25519" }, false, ["sign"]);
    const readable = await crypto.subtle.importKey("pkcs8", join(PKCS8_PREFIX, seed),
      { name: "Ed25519" }, true, ["sign"]);
    const jwk = await crypto.subtle.exportKey("jwk", readable);
    const publicKey = unb64(jwk.x.replace(/-/g, "+").replace(/_/g, "/") + "=");
    const id = await keyId(name, publicKey);
    return {
      name: name,
      key: usable,
      verifier: `${name}+${hex(id)}+${b64(join(new Uint8Array([1]), publicKey))}`,
      secret: `PRIVATE+KEY+${name}+${hex(id)}+${b64(join(new Uint8Array([1]), seed))}`,
    };
  }

  // A new key named `name`: returns {verifier, secret}; keeps a usable copy in `slot`.
  async function generate(slot, name) {
    checkName(name);
    const pair = await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"]);
    const pkcs8 = new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey));
    const made = await fromSeed(name, pkcs8.slice(pkcs8.length - 32));
    await storeKey(slot, { name: made.name, key: made.key, verifier: made.verifier });
    return made;
  }

  // A signer key file's text (from `tratado keys` or saved from this page), read.
  async function readKey(text) {
    const parts = text.trim().split("+");
    if (parts.length < 5 || parts[0] !== "PRIVATE" || parts[1] !== "KEY") {
      throw new Error("this is not a signer key (it starts PRIVATE+KEY+)");
    }
    const name = checkName(parts[2]);
    const data = unb64(parts.slice(4).join("+"));
    if (data.length !== 33 || data[0] !== 1) throw new Error("this is not an Ed25519 signer key");
    const made = await fromSeed(name, data.slice(1));
    if (made.verifier.split("+")[1] !== parts[3]) throw new Error("the key ID does not match the key");
    return made;
  }

  // Load a signer key file's text into `slot`.
  async function load(slot, text) {
    const made = await readKey(text);
    await storeKey(slot, { name: made.name, key: made.key, verifier: made.verifier });
    return made;
  }

  // The Ed25519 signature (64 bytes) of the UTF-8 bytes of `text` by the key in `slot`.
  async function signBytes(slot, text) {
    const entry = await loadKey(slot);
    if (!entry) throw new Error("no key in this browser: create or load your key first");
    const signature = new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, entry.key,
      encoder.encode(text)));
    return { entry, signature };
  }

  // The signature of `text`, base64 (what a head signs a document with).
  async function signature(slot, text) {
    return b64((await signBytes(slot, text)).signature);
  }

  // The note signature line of `text` (a note's text, ending in a newline).
  async function signatureLine(slot, text) {
    const { entry, signature } = await signBytes(slot, text);
    const id = hexToBytes(entry.verifier.split("+")[1]);
    return `\u2014 ${entry.name} ${b64(join(id, signature))}`;
  }

  // The verifier key kept in `slot`, or null.
  async function verifier(slot) {
    const entry = await loadKey(slot);
    return entry ? entry.verifier : null;
  }

  function hexToBytes(text) {
    return Uint8Array.from(text.match(/../g), (h) => parseInt(h, 16));
  }

  // Checkpoints this browser saw and co-signed, kept to give to `tratado verify --checkpoint`.
  function remember(talks, checkpoint) {
    const key = `tratado-checkpoints:${talks}`;
    const seen = JSON.parse(localStorage.getItem(key) || "[]");
    if (!seen.includes(checkpoint)) seen.push(checkpoint);
    localStorage.setItem(key, JSON.stringify(seen));
    return seen.length;
  }

  function download(name, text) {
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  // -- the page's forms -------------------------------------------------------------------
  //
  // <form data-key-slot="SLOT" data-key-generate data-key-name="NAME">: makes a key,
  //   puts its verifier key in the field "verifier_key", offers the key file, submits.
  // <form data-key-slot="SLOT" data-key-load>: reads the file of the field "key_file",
  //   puts its verifier key in "verifier_key", submits. With data-registered="VERIFIER"
  //   (a key is registered already) it only loads the key into this browser, after
  //   checking that it is that key, and submits nothing.
  // <form data-key-slot="SLOT" data-sign="BASE64 OF THE TEXT">: signs the text's UTF-8
  //   bytes, puts the signature (base64) in the field "signature", submits.
  // <form data-key-slot="SLOT" data-cosign="BASE64 OF A SIGNED CHECKPOINT"
  //   data-checkpoint-of="TALKS">: adds this key's signature line to the checkpoint, puts
  //   the co-signed note in the field "note", keeps it in this browser (for
  //   `tratado verify --checkpoint`), submits.

  function say(form, text) {
    const place = form.querySelector("[data-key-message]");
    if (place) place.textContent = text;
  }

  async function handle(form) {
    const slot = form.dataset.keySlot;
    if ("keyGenerate" in form.dataset) {
      const made = await generate(slot, form.dataset.keyName);
      form.elements.verifier_key.value = made.verifier;
      download(`${made.name}.key`, made.secret + "\n");
    } else if ("keyLoad" in form.dataset) {
      const file = form.elements.key_file.files[0];
      if (!file) throw new Error("choose your key file first");
      const registered = form.dataset.registered;
      if (registered) {
        const made = await readKey(await file.text());
        if (made.verifier !== registered) {
          throw new Error("this is not the key registered for your delegation");
        }
        await load(slot, await file.text());
        say(form, "Your key is loaded in this browser: you can sign here.");
        return false;
      }
      const made = await load(slot, await file.text());
      form.elements.verifier_key.value = made.verifier;
    } else if (form.dataset.sign) {
      const text = new TextDecoder().decode(unb64(form.dataset.sign));
      form.elements.signature.value = await signature(slot, text);
    } else if (form.dataset.cosign) {
      const note = new TextDecoder().decode(unb64(form.dataset.cosign));
      const text = note.slice(0, note.lastIndexOf("\n\n") + 1);
      const cosigned = `${note}${await signatureLine(slot, text)}\n`;
      form.elements.note.value = cosigned;
      if (form.dataset.checkpointOf) remember(form.dataset.checkpointOf, cosigned);
    }
    return true;
  }

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.keySlot || form.dataset.done) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    handle(form).then((submit) => {
      if (!submit) return;
      form.dataset.done = "1";
      form.requestSubmit();
    }, (error) => say(form, `Not done: ${error.message}.`));
  }, true);

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-download-checkpoints]");
    if (!button) return;
    const talks = button.dataset.downloadCheckpoints;
    const seen = JSON.parse(localStorage.getItem(`tratado-checkpoints:${talks}`) || "[]");
    seen.forEach((note, k) => download(`${talks}-checkpoint-${k + 1}.txt`, note));
  });

  window.tratadoKeys = { generate, load, signature, signatureLine, verifier, remember, keyId };
})();
