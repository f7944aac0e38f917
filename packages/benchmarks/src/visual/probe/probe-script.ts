/**
 * The probe: plain JavaScript injected into the frame before the model's code (see ./srcdoc.ts). It is a
 * string, not a function, so no bundler or transpiler can add helpers to it and so it needs no DOM types
 * here. It is `(function (config) {…})` and srcdoc.ts calls it with `{token, requirements, sampleEveryMs}`.
 *
 * What it guards against, in order: it keeps the per-render token in its closure and removes its own
 * <script>, so the model's code can neither read the token nor find the probe; it saves every built-in it
 * uses before the model's code runs (a file that replaces requestAnimationFrame or postMessage fools only
 * itself, and the Node renderer's screenshots catch a file that fakes motion); it sends only object
 * literals (no setter the file defines on Object.prototype sees the token).
 *
 * Messages to the parent, all `{localds: 'probe', token, kind, …}` (validated by ./messages.ts):
 *   ready {t, viewport} · first-frame {t} · sample {sample} · error {t, message} · violation {t, url, directive} ·
 *   pong {n} (an answer to the host's `{localds: 'ping', n}`, so a hung main thread is noticed).
 *
 * WebRTC: Chromium 156 ignores a CSP `webrtc 'block'` directive (tested: STUN packets still leave), so the
 * probe removes the RTC constructors from this window and from every nested frame's window it can reach
 * (see `harden`).
 */
export const PROBE_SCRIPT = String.raw`(function (config) {
  'use strict';
  var w = window;
  var doc = document;
  var token = config.token;
  var sampleEveryMs = config.sampleEveryMs;
  var requirements = config.requirements;
  var apply = Reflect.apply;
  var getOwnDesc = Object.getOwnPropertyDescriptor;
  var defineProp = Object.defineProperty;
  var parentWin = w.parent;
  var perf = w.performance;
  var perfNow = perf.now;
  var now = function () { return apply(perfNow, perf, []); };
  var raf = w.requestAnimationFrame;
  var setIntervalSaved = w.setInterval;
  var addListener = EventTarget.prototype.addEventListener;
  var qsa = Document.prototype.querySelectorAll;
  var getRect = Element.prototype.getBoundingClientRect;
  var getAttr = Element.prototype.getAttribute;
  var getComputed = w.getComputedStyle;
  var getAnimations = Document.prototype.getAnimations;
  var docElGetter = getOwnDesc(Document.prototype, 'documentElement').get;
  var bodyGetter = getOwnDesc(Document.prototype, 'body').get;
  var innerWidthGetter = getOwnDesc(w, 'innerWidth').get;
  var innerHeightGetter = getOwnDesc(w, 'innerHeight').get;
  var lengthGetter = getOwnDesc(w, 'length').get;
  var tagNameGetter = getOwnDesc(Element.prototype, 'tagName').get;
  var nsGetter = getOwnDesc(Element.prototype, 'namespaceURI').get;
  var parentElGetter = getOwnDesc(Node.prototype, 'parentElement').get;
  var drawImage = CanvasRenderingContext2D.prototype.drawImage;
  var getImageData = CanvasRenderingContext2D.prototype.getImageData;
  var clearRect = CanvasRenderingContext2D.prototype.clearRect;
  var ErrorEventSaved = w.ErrorEvent;
  var StringSaved = String;
  var parseIntSaved = parseInt;
  var mathMax = Math.max, mathMin = Math.min, mathRound = Math.round;
  var sentErrors = 0, sentViolations = 0, frames = 0;

  // Remove our own <script> before the model's code can see it.
  var self = doc.currentScript;
  if (self && self.parentNode) self.parentNode.removeChild(self);

  function send(kind, body) {
    try {
      parentWin.postMessage({ localds: 'probe', token: token, kind: kind, body: body }, '*');
    } catch (e) { /* a body that cannot be cloned is dropped, never the probe */ }
  }
  function clip(value, max) {
    var s;
    try { s = StringSaved(value); } catch (e) { s = '(unprintable)'; }
    return s.length > max ? s.slice(0, max) : s;
  }

  // --- WebRTC: remove the constructors here and in every nested frame we can reach ---------------------
  var RTC_NAMES = ['RTCPeerConnection', 'webkitRTCPeerConnection', 'RTCDataChannel', 'RTCRtpSender',
    'RTCRtpReceiver', 'RTCRtpTransceiver', 'RTCIceCandidate', 'RTCSessionDescription', 'RTCIceTransport',
    'RTCDtlsTransport', 'RTCSctpTransport', 'RTCCertificate', 'RTCEncodedAudioFrame', 'RTCEncodedVideoFrame'];
  var hardened = [];
  function harden(win) {
    try {
      for (var i = 0; i < hardened.length; i++) if (hardened[i] === win) return;
      hardened.push(win);
      for (var j = 0; j < RTC_NAMES.length; j++) {
        try { delete win[RTC_NAMES[j]]; } catch (e) { /* ignore */ }
        try { defineProp(win, RTC_NAMES[j], { value: undefined, configurable: false, writable: false }); } catch (e) { /* ignore */ }
      }
      // A nested frame's window reached through its element is hardened before it is handed out.
      ['HTMLIFrameElement', 'HTMLFrameElement', 'HTMLObjectElement'].forEach(function (name) {
        var proto = win[name] && win[name].prototype;
        if (!proto) return;
        ['contentWindow', 'contentDocument'].forEach(function (prop) {
          var d = getOwnDesc(proto, prop);
          if (!d || !d.get) return;
          var get = d.get;
          defineProp(proto, prop, { configurable: false, enumerable: d.enumerable, get: function () {
            hardenChildren(win);
            return apply(get, this, []);
          } });
        });
      });
      // window[i] cannot be intercepted, so every way of inserting markup hardens the new frames at once.
      var hooks = [['Node', ['appendChild', 'insertBefore', 'replaceChild']],
        ['Element', ['append', 'prepend', 'before', 'after', 'replaceWith', 'replaceChildren',
          'insertAdjacentHTML', 'insertAdjacentElement', 'setHTMLUnsafe']],
        ['Document', ['write', 'writeln', 'append', 'prepend', 'replaceChildren']],
        ['DocumentFragment', ['append', 'prepend', 'replaceChildren']]];
      hooks.forEach(function (pair) {
        var proto = win[pair[0]] && win[pair[0]].prototype;
        if (!proto) return;
        pair[1].forEach(function (name) {
          var fn = proto[name];
          if (typeof fn !== 'function') return;
          var wrapped = function () { var r = apply(fn, this, arguments); hardenChildren(win); return r; };
          defineProp(proto, name, { value: wrapped, configurable: false, writable: false });
        });
      });
      [['Element', 'innerHTML'], ['Element', 'outerHTML'], ['ShadowRoot', 'innerHTML']].forEach(function (pair) {
        var proto = win[pair[0]] && win[pair[0]].prototype;
        var d = proto && getOwnDesc(proto, pair[1]);
        if (!d || !d.set) return;
        var set = d.set;
        defineProp(proto, pair[1], { configurable: false, enumerable: d.enumerable, get: d.get, set: function (v) {
          apply(set, this, [v]); hardenChildren(win);
        } });
      });
      hardenChildren(win);
    } catch (e) { /* a window we cannot reach is not ours to harden */ }
  }
  function hardenChildren(win) {
    try {
      var n = apply(lengthGetter, win, []);
      for (var i = 0; i < n; i++) harden(win[i]);
    } catch (e) { /* ignore */ }
  }
  harden(w);
  // Frames the parser creates from markup are caught before the next parser-inserted script runs.
  try {
    new MutationObserver(function () { hardenChildren(w); }).observe(doc, { childList: true, subtree: true });
  } catch (e) { /* ignore */ }

  // --- errors and policy violations ---------------------------------------------------------------------
  apply(addListener, w, ['error', function (e) {
    if (!(e instanceof ErrorEventSaved)) return; // a resource that failed to load is not a script error
    if (sentErrors >= 50) return;
    sentErrors++;
    var where = e.lineno ? ' (line ' + e.lineno + (e.colno ? ':' + e.colno : '') + ')' : '';
    send('error', { t: now(), message: clip(e.message || 'error', 400) + where });
  }, true]);
  apply(addListener, w, ['unhandledrejection', function (e) {
    if (sentErrors >= 50) return;
    sentErrors++;
    var reason = e.reason;
    var text = reason && typeof reason === 'object' && 'message' in reason ? reason.message : reason;
    send('error', { t: now(), message: 'unhandled rejection: ' + clip(text, 400) });
  }, true]);
  apply(addListener, doc, ['securitypolicyviolation', function (e) {
    var uri = clip(e.blockedURI, 500);
    if (uri === 'eval' || uri === 'inline' || uri === 'wasm-eval' || uri === 'trusted-types-sink') {
      if (sentErrors >= 50) return;
      sentErrors++;
      send('error', { t: now(), message: 'blocked by the content security policy: ' + uri + ' (' + clip(e.effectiveDirective, 60) + ')' });
      return;
    }
    if (sentViolations >= 100) return;
    sentViolations++;
    send('violation', { t: now(), url: uri, directive: clip(e.effectiveDirective, 60) });
  }, true]);

  // --- pings from the host -----------------------------------------------------------------------------
  apply(addListener, w, ['message', function (e) {
    if (e.source !== parentWin) return;
    var d = e.data;
    if (d && typeof d === 'object' && d.localds === 'ping' && typeof d.n === 'number') send('pong', { n: d.n });
  }, true]);

  // --- animation frames ----------------------------------------------------------------------------------
  function onFrame() {
    frames++;
    if (frames === 1) send('first-frame', { t: now() });
    apply(raf, w, [onFrame]);
  }
  apply(raf, w, [onFrame]);

  // --- samples -------------------------------------------------------------------------------------------
  function hash(h, s) {
    for (var i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 16777619) >>> 0; }
    return h;
  }
  function hex(h) { return ('0000000' + (h >>> 0).toString(16)).slice(-8); }
  var FP = 32;
  var fpCanvas = doc.createElement('canvas');
  fpCanvas.width = FP; fpCanvas.height = FP;
  var fpCtx = fpCanvas.getContext('2d', { willReadFrequently: true });
  if (fpCtx) fpCtx.imageSmoothingQuality = 'high';

  function viewport() {
    return { width: apply(innerWidthGetter, w, []), height: apply(innerHeightGetter, w, []) };
  }
  function visible(el, rect) {
    if (rect.width <= 0 || rect.height <= 0) return false;
    var cs = apply(getComputed, w, [el]);
    return cs.display !== 'none' && cs.visibility !== 'hidden' && cs.opacity !== '0';
  }
  function areaFraction(rect, vp) {
    var x = mathMax(0, mathMin(rect.right, vp.width) - mathMax(rect.left, 0));
    var y = mathMax(0, mathMin(rect.bottom, vp.height) - mathMax(rect.top, 0));
    var total = vp.width * vp.height;
    return total > 0 ? mathMin(1, (x * y) / total) : 0;
  }
  function painted(cs) {
    if (cs.backgroundImage && cs.backgroundImage !== 'none') return true;
    var c = cs.backgroundColor;
    return !!c && c !== 'transparent' && !/^rgba\(.*,\s*0\)$/.test(c);
  }
  function tag(el) { return apply(tagNameGetter, el, []).toLowerCase(); }
  function isOuterSvg(el) {
    if (tag(el) !== 'svg') return false;
    var p = apply(parentElGetter, el, []);
    return !p || apply(nsGetter, p, []) !== 'http://www.w3.org/2000/svg';
  }

  function sample() {
    var vp = viewport();
    var elHash = 2166136261, canvasHash = 2166136261, animHash = 2166136261;
    var coverage = 0;
    var surfaces = 0; // largest visible canvas / outer svg, as a fraction of the viewport
    var root = apply(docElGetter, doc, []);
    var body = apply(bodyGetter, doc, []);
    try {
      [root, body].forEach(function (el) {
        if (el && painted(apply(getComputed, w, [el]))) coverage = 1; // a painted root fills the viewport
      });
    } catch (e) { /* ignore */ }
    var all = apply(qsa, doc, ['*']);
    var n = mathMin(all.length, 800);
    for (var i = 0; i < n; i++) {
      var el = all[i];
      var t = tag(el);
      if (t === 'script' || t === 'style' || t === 'head' || t === 'meta' || t === 'title' || t === 'link') continue;
      var r = apply(getRect, el, []);
      elHash = hash(elHash, t + mathRound(r.left) + ',' + mathRound(r.top) + ',' + mathRound(r.width) + ',' + mathRound(r.height));
      var style = apply(getAttr, el, ['style']);
      if (style) elHash = hash(elHash, style.length > 300 ? style.slice(0, 300) : style);
      if (apply(nsGetter, el, []) === 'http://www.w3.org/2000/svg') {
        var attrs = el.attributes;
        for (var a = 0; a < attrs.length && a < 12; a++) elHash = hash(elHash, attrs[a].name + '=' + attrs[a].value.slice(0, 200));
      }
      if (el === root || el === body) continue;
      var isCanvas = t === 'canvas', isSvg = isOuterSvg(el);
      if (!visible(el, r)) continue;
      var frac = areaFraction(r, vp);
      if (isCanvas || isSvg) {
        surfaces = mathMax(surfaces, frac);
        coverage = mathMax(coverage, frac);
      } else if (t === 'img' || t === 'video' || painted(apply(getComputed, w, [el]))) {
        coverage = mathMax(coverage, frac);
      }
      if (isCanvas && fpCtx && el.width > 0 && el.height > 0) {
        try {
          apply(clearRect, fpCtx, [0, 0, FP, FP]);
          apply(drawImage, fpCtx, [el, 0, 0, FP, FP]);
          var px = apply(getImageData, fpCtx, [0, 0, FP, FP]).data;
          for (var p = 0; p < px.length; p++) { canvasHash ^= px[p]; canvasHash = Math.imul(canvasHash, 16777619) >>> 0; }
        } catch (e) { canvasHash = hash(canvasHash, 'unreadable'); }
      }
    }
    try {
      var anims = apply(getAnimations, doc, []);
      var running = 0;
      for (var k = 0; k < anims.length && k < 500; k++) {
        if (anims[k].playState !== 'running') continue;
        running++;
        animHash = hash(animHash, StringSaved(mathRound((anims[k].currentTime || 0) / 50)));
      }
      animHash = hash(animHash, 'n' + running);
    } catch (e) { /* ignore */ }
    var found = {};
    for (var q = 0; q < requirements.length; q++) {
      var req = requirements[q];
      if (req.type === 'canvas-or-svg') { found[req.id] = mathRound(surfaces * 1000) / 1000; continue; }
      var count = 0;
      try { count = apply(qsa, doc, [req.selector]).length; } catch (e) { count = 0; }
      var declared = body ? parseIntSaved(apply(getAttr, body, [req.bodyAttribute]) || '', 10) : NaN;
      found[req.id] = declared === declared && declared > count ? declared : count;
    }
    return {
      t: mathRound(now()),
      frames: frames,
      fingerprint: 'c' + hex(canvasHash) + 'e' + hex(elHash) + 'a' + hex(animHash),
      viewport: vp,
      coverage: mathRound(mathMin(1, coverage) * 1000) / 1000,
      requirements: found
    };
  }

  // The viewport the file's code starts in: a frame not yet laid out is 0×0, the harness's race (./reduce.ts).
  send('ready', { t: now(), viewport: viewport() });
  apply(setIntervalSaved, w, [function () {
    var s;
    try { s = sample(); } catch (e) { s = null; }
    if (s) send('sample', { sample: s });
  }, sampleEveryMs]);
})`;
