// Progressive enhancement of the questionnaire; without it every question shows with its condition.
"use strict";
(function () {
  document.documentElement.classList.add("js");
  var form = document.getElementById("questionnaire");
  if (!form) { return; }

  function valueOf(name) {
    var field = form.elements.namedItem(name);
    if (!field) { return ""; }
    return field.value === undefined ? "" : field.value;
  }

  // Every value given for a name: a typed text, the chosen radio, or each ticked box of a list.
  function valuesOf(name) {
    var boxes = form.querySelectorAll('input[type="checkbox"][name="' + name + '"]');
    if (!boxes.length) { return [valueOf(name)]; }
    var ticked = [];
    for (var i = 0; i < boxes.length; i++) { if (boxes[i].checked) { ticked.push(boxes[i].value); } }
    return ticked;
  }

  // A follow-up is shown (and sent) only while its condition holds (for a list: one of its boxes is ticked).
  function applyConditions() {
    var blocks = form.querySelectorAll("[data-enabled-when]");
    for (var i = 0; i < blocks.length; i++) {
      var conditions = JSON.parse(blocks[i].getAttribute("data-enabled-when"));
      var applies = conditions.every(function (c) {
        return valuesOf(c.item).some(function (value) { return c.values.indexOf(value) >= 0; });
      });
      blocks[i].hidden = !applies;
      var inputs = blocks[i].querySelectorAll("input");
      for (var j = 0; j < inputs.length; j++) { inputs[j].disabled = !applies; }
    }
  }

  // "None of these" and "Not sure" stand alone in a list of choices.
  function exclusive(input) {
    if (input.type !== "checkbox" || !input.checked) { return; }
    var group = form.querySelectorAll('input[type="checkbox"][name="' + input.name + '"]');
    for (var i = 0; i < group.length; i++) {
      var other = group[i];
      if (other === input) { continue; }
      if (input.hasAttribute("data-exclusive") || other.hasAttribute("data-exclusive")) { other.checked = false; }
    }
  }

  var live = document.getElementById("triage-live");
  var pending = null;
  // The level told last in the live region, so that taking an answer back can be said.
  var told = null;
  // The real rules engine on the server tells whether the warning signs ticked so far need care now.
  function checkTriage() {
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
        if (!triage.level) { return; }
        live.className = "triage triage-" + triage.level;
        var heading = document.createElement("h2");
        heading.textContent = triage.level.toUpperCase() + ": " + triage.title;
        var action = document.createElement("p");
        action.textContent = triage.action;
        var because = document.createElement("p");
        because.textContent = "Because you said: " + triage.because.join("; ") + ".";
        live.appendChild(heading); live.appendChild(action); live.appendChild(because);
      })
      .catch(function () { /* The check is repeated on moving on, without the script. */ });
  }

  // "None of these apply to me" stands for No on every warning sign left blank, and cannot go with
  // a sign answered Yes or Not sure (the server checks the same on moving on).
  var noneBox = form.querySelector('input[data-none-of-the-signs="true"]');
  function alwaysAskedSigns() {
    var names = [];
    var inputs = form.querySelectorAll('input[data-safety="true"]');
    for (var i = 0; i < inputs.length; i++) {
      var block = inputs[i].closest("[data-enabled-when]");
      if (!block && names.indexOf(inputs[i].name) < 0) { names.push(inputs[i].name); }
    }
    return names;
  }
  function noneOfTheSigns(input) {
    if (!noneBox) { return; }
    if (input === noneBox && noneBox.checked) {
      var names = alwaysAskedSigns();
      var flagged = names.filter(function (name) { return valueOf(name) === "yes" || valueOf(name) === "not_sure"; });
      if (flagged.length) {
        noneBox.checked = false;
        var help = document.getElementById("none-live");
        if (help) { help.textContent = "You answered a sign Yes or Not sure, so this cannot be chosen. Change that answer to No first."; }
        return;
      }
      names.forEach(function (name) {
        if (valueOf(name) !== "") { return; }
        var no = form.querySelector('input[name="' + name + '"][value="no"]');
        if (no) { no.checked = true; }
      });
    } else if (input.hasAttribute("data-safety") && (input.value === "yes" || input.value === "not_sure") && input.checked) {
      noneBox.checked = false;
    }
  }

  form.addEventListener("change", function (event) {
    exclusive(event.target);
    noneOfTheSigns(event.target);
    applyConditions();
    if (event.target.hasAttribute("data-safety")) { checkTriage(); }
  });
  applyConditions();

  var summary = document.getElementById("error-summary") || document.getElementById("triage-now");
  if (summary) { summary.focus(); }
})();
