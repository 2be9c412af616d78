// Progressive enhancement of the questionnaire; without it every question shows with its condition.
// With it, every step (the next questions, the review, a change, the report) is fetched and shown
// in this one page, and the browser's Back and Forward move between the steps kept in this page's
// memory: no step is a new document, so none has to be posted again, and the answers are in no
// address, no history entry (an entry holds only the step's number) and no cookie.
"use strict";
(function () {
  document.documentElement.classList.add("js");

  function valueOf(form, name) {
    var field = form.elements.namedItem(name);
    if (!field) { return ""; }
    return field.value === undefined ? "" : field.value;
  }

  // Every value given for a name: a typed text, the chosen radio, or each ticked box of a list.
  function valuesOf(form, name) {
    var boxes = form.querySelectorAll('input[type="checkbox"][name="' + name + '"]');
    if (!boxes.length) { return [valueOf(form, name)]; }
    var ticked = [];
    for (var i = 0; i < boxes.length; i++) { if (boxes[i].checked) { ticked.push(boxes[i].value); } }
    return ticked;
  }

  // A follow-up is shown (and sent) only while its condition holds (for a list: one of its boxes is ticked).
  function applyConditions(form) {
    var blocks = form.querySelectorAll("[data-enabled-when]");
    for (var i = 0; i < blocks.length; i++) {
      var conditions = JSON.parse(blocks[i].getAttribute("data-enabled-when"));
      var applies = conditions.every(function (c) {
        return valuesOf(form, c.item).some(function (value) { return c.values.indexOf(value) >= 0; });
      });
      blocks[i].hidden = !applies;
      var inputs = blocks[i].querySelectorAll("input");
      for (var j = 0; j < inputs.length; j++) { inputs[j].disabled = !applies; }
    }
  }

  // "None of these" and "Not sure" stand alone in a list of choices.
  function exclusive(form, input) {
    if (input.type !== "checkbox" || !input.checked) { return; }
    var group = form.querySelectorAll('input[type="checkbox"][name="' + input.name + '"]');
    for (var i = 0; i < group.length; i++) {
      var other = group[i];
      if (other === input) { continue; }
      if (input.hasAttribute("data-exclusive") || other.hasAttribute("data-exclusive")) { other.checked = false; }
    }
  }

  // Focus moving under the notice's bar is scrolled clear of it (scroll-padding does it for most
  // moves; this catches the rest, e.g. a field taller than the space left).
  function barHeight() {
    var bar = document.getElementById("triage-bar");
    return bar && !bar.hidden ? bar.getBoundingClientRect().height : 0;
  }
  function fitPadding() {
    var height = barHeight();
    document.documentElement.style.scrollPaddingTop = height ? (Math.ceil(height) + 12) + "px" : "";
  }
  document.addEventListener("focusin", function (event) {
    var height = barHeight();
    if (!height) { return; }
    var top = event.target.getBoundingClientRect().top;
    if (top < height + 4) { window.scrollBy(0, top - height - 12); }
  });
  window.addEventListener("resize", fitPadding);

  var pending = null;
  // The level told last in the live region, so that taking an answer back can be said.
  var told = null;
  // The real rules engine on the server tells whether the warning signs ticked so far need care now.
  function checkTriage(form) {
    var live = document.getElementById("triage-live");
    var bar = document.getElementById("triage-bar");
    if (!live) { return; }
    var safety = form.querySelectorAll('input[data-safety="true"]:checked:not(:disabled)');
    var body = new URLSearchParams();
    for (var i = 0; i < safety.length; i++) { body.append(safety[i].name, safety[i].value); }
    if (pending) { pending.abort(); }
    pending = new AbortController();
    fetch("/triage", { method: "POST", body: body, signal: pending.signal,
                       headers: { "Content-Type": "application/x-www-form-urlencoded" } })
      .then(function (response) { return response.json(); })
      .then(function (triage) {
        // The region stays in the page, empty when there is nothing to tell, so that what is
        // written into it is announced.
        live.textContent = "";
        if (bar) { bar.hidden = true; }
        var before = told;
        told = triage.level || null;
        // An answer taken back: say that the advice shown before no longer applies (or has changed).
        if (before && before !== told) {
          var withdrawn = document.createElement("p");
          withdrawn.className = "withdrawn";
          withdrawn.textContent = told
            ? "You changed an answer, so the earlier " + before + " advice no longer applies. This is the advice now:"
            : "You changed an answer, so the earlier " + before + " advice no longer applies.";
          live.className = "triage triage-withdrawn";
          live.appendChild(withdrawn);
        }
        if (!triage.level) { fitPadding(); return; }
        live.className = "triage triage-" + triage.level;
        var heading = document.createElement("h2");
        heading.textContent = triage.level.toUpperCase() + ": " + triage.title;
        var action = document.createElement("p");
        action.textContent = triage.action;
        var because = document.createElement("p");
        because.textContent = "Because you said: " + triage.because.join("; ") + ".";
        live.appendChild(heading); live.appendChild(action); live.appendChild(because);
        if (bar) {
          bar.className = "triage-bar triage-" + triage.level;
          bar.firstElementChild.textContent = heading.textContent + ". Read what to do";
          bar.hidden = false;
        }
        fitPadding();
      })
      .catch(function () { /* The check is repeated on moving on, without the script. */ });
  }

  // "None of these apply to me" stands for No on every warning sign left blank, and cannot go with
  // a sign answered Yes or Not sure (the server checks the same on moving on).
  function alwaysAskedSigns(form) {
    var names = [];
    var inputs = form.querySelectorAll('input[data-safety="true"]');
    for (var i = 0; i < inputs.length; i++) {
      var block = inputs[i].closest("[data-enabled-when]");
      if (!block && names.indexOf(inputs[i].name) < 0) { names.push(inputs[i].name); }
    }
    return names;
  }
  function noneOfTheSigns(form, input) {
    var noneBox = form.querySelector('input[data-none-of-the-signs="true"]');
    if (!noneBox) { return; }
    if (input === noneBox && noneBox.checked) {
      var names = alwaysAskedSigns(form);
      var flagged = names.filter(function (name) { return valueOf(form, name) === "yes" || valueOf(form, name) === "not_sure"; });
      if (flagged.length) {
        noneBox.checked = false;
        var help = document.getElementById("none-live");
        if (help) { help.textContent = "You answered a sign Yes or Not sure, so this cannot be chosen. Change that answer to No first."; }
        return;
      }
      names.forEach(function (name) {
        if (valueOf(form, name) !== "") { return; }
        var no = form.querySelector('input[name="' + name + '"][value="no"]');
        if (no) { no.checked = true; }
      });
    } else if (input.hasAttribute("data-safety") && (input.value === "yes" || input.value === "not_sure") && input.checked) {
      noneBox.checked = false;
    }
  }

  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (!form || form.id !== "questionnaire") { return; }
    exclusive(form, event.target);
    noneOfTheSigns(form, event.target);
    applyConditions(form);
    if (event.target.hasAttribute("data-safety")) { checkTriage(form); }
  });

  // A link to a place in the page moves focus there without a history entry of its own, so that
  // Back always means the step before.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest('a[href^="#"]');
    if (!link || link.getAttribute("href").length < 2) { return; }
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) { return; }
    event.preventDefault();
    if (!target.hasAttribute("tabindex") && !/^(INPUT|BUTTON|A|SELECT|TEXTAREA)$/.test(target.tagName)) {
      target.setAttribute("tabindex", "-1");
    }
    target.focus();
  });

  // The steps of this visit, each a page body kept in memory with its title and style sheets.
  var steps = [];
  var current = 0;
  history.scrollRestoration = "manual";

  function headStyles() {
    return Array.prototype.slice.call(document.head.querySelectorAll('link[rel="stylesheet"], style'));
  }

  function styleFor(node) {
    // A sheet already in the page is used again (switched on and off), never fetched twice.
    var existing = headStyles();
    for (var i = 0; i < existing.length; i++) {
      if (node.tagName === "LINK" && existing[i].tagName === "LINK" && existing[i].href === node.href) { return existing[i]; }
      if (node.tagName === "STYLE" && existing[i].tagName === "STYLE" && existing[i].textContent === node.textContent) { return existing[i]; }
    }
    var copy = document.createElement(node.tagName === "LINK" ? "link" : "style");
    if (node.tagName === "LINK") { copy.rel = "stylesheet"; copy.href = node.href; } else { copy.textContent = node.textContent; }
    document.head.appendChild(copy);
    return copy;
  }

  function setUp(body) {
    var forms = body.querySelectorAll("form#questionnaire");
    for (var i = 0; i < forms.length; i++) { applyConditions(forms[i]); }
    var print = body.querySelector("#print-report");
    if (print) {
      print.hidden = false;
      print.onclick = function () { window.print(); };
    }
  }

  function firstFocus(body) {
    return body.querySelector("#error-summary") || body.querySelector("[autofocus]") ||
      body.querySelector("#triage-now") || body.querySelector("h1");
  }

  function show(index, restore) {
    var step = steps[index];
    var leaving = steps[current];
    if (leaving && leaving.body === document.body) {
      leaving.scroll = window.scrollY;
      leaving.focus = document.activeElement;
    }
    current = index;
    if (document.body !== step.body) { document.documentElement.replaceChild(step.body, document.body); }
    document.title = step.title;
    var styles = headStyles();
    for (var i = 0; i < styles.length; i++) { styles[i].disabled = step.styles.indexOf(styles[i]) < 0; }
    fitPadding();
    var target = restore && step.focus && step.body.contains(step.focus) ? step.focus : firstFocus(step.body);
    if (target) {
      if (target.tagName === "H1" && !target.hasAttribute("tabindex")) { target.setAttribute("tabindex", "-1"); }
      target.focus({ preventScroll: true });
    }
    window.scrollTo(0, restore ? step.scroll || 0 : 0);
    if (!restore && target && target.id !== "error-summary" && target.tagName !== "H1" && target.id !== "triage-now") {
      target.scrollIntoView({ block: "center" });
    }
  }

  function arrive(html, replace) {
    var fetched = new DOMParser().parseFromString(html, "text/html");
    var step = {
      body: document.adoptNode(fetched.body),
      title: fetched.title,
      styles: Array.prototype.map.call(fetched.head.querySelectorAll('link[rel="stylesheet"], style'), styleFor),
      scroll: 0,
      focus: null
    };
    setUp(step.body);
    var index = replace ? current : current + 1;
    steps.length = index;
    steps.push(step);
    if (replace) { history.replaceState({ step: index }, ""); } else { history.pushState({ step: index }, ""); }
    show(index, false);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.method.toLowerCase() !== "post" || form.hasAttribute("data-sending")) { return; }
    event.preventDefault();
    var submitter = event.submitter || null;
    var action = submitter && submitter.hasAttribute("formaction") ? submitter.formAction : form.action;
    var body = new URLSearchParams(new FormData(form, submitter));
    form.setAttribute("aria-busy", "true");
    fetch(action, { method: "POST", body: body,
                    headers: { "Content-Type": "application/x-www-form-urlencoded" } })
      .then(function (response) {
        return response.text().then(function (text) { return { status: response.status, text: text }; });
      })
      .then(function (answer) {
        form.removeAttribute("aria-busy");
        if (answer.status !== 200 && answer.status !== 422) { throw new Error(String(answer.status)); }
        // A page sent back with problems replaces the one it came from.
        arrive(answer.text, answer.status === 422);
      })
      .catch(function () {
        // Without the server's answer in hand, the browser posts the form itself.
        form.removeAttribute("aria-busy");
        form.setAttribute("data-sending", "");
        form.requestSubmit(submitter);
      });
  });

  window.addEventListener("popstate", function (event) {
    var index = event.state && typeof event.state.step === "number" ? event.state.step : -1;
    // A step from before the page was loaded again is gone with the page: nothing to show.
    if (index < 0 || !steps[index]) { return; }
    show(index, true);
  });

  steps.push({ body: document.body, title: document.title, styles: headStyles(), scroll: 0, focus: null });
  history.replaceState({ step: 0 }, "");
  setUp(document.body);
  fitPadding();
  var summary = document.getElementById("error-summary") || document.querySelector("[autofocus]") ||
    document.getElementById("triage-now");
  if (summary) { summary.focus(); }
})();
