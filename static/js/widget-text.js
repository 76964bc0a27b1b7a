/* widgetText(rules): keep Streamlit's own widget texts in the page's language
   (geo/web/widget_text.py), now and after every rerun (a MutationObserver). rules: [[pattern,
   replacement]], each pattern a whole text. Injected again on each rerun: a later call only
   swaps the rules (on the namespace, so the first call's observer reads them: a change of
   language) and fixes the page once. */
(function (ns) {
  "use strict";
  function swap(text) {
    var rules = ns.widgetRules;
    for (var i = 0; i < rules.length; i++) {
      if (rules[i][0].test(text)) { return text.replace(rules[i][0], rules[i][1]); }
    }
    return text;
  }
  function fix(root) {
    if (!root) { return; }
    if (root.nodeType === 3) {
      var value = swap(root.nodeValue);
      if (value !== root.nodeValue) { root.nodeValue = value; }
      return;
    }
    if (root.nodeType !== 1) { return; }
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      var text = swap(node.nodeValue);
      if (text !== node.nodeValue) { node.nodeValue = text; }
    }
    var named = [root].concat(Array.prototype.slice.call(
      root.querySelectorAll("[aria-label],[placeholder],[title]")));
    named.forEach(function (el) {
      ["aria-label", "placeholder", "title"].forEach(function (name) {
        var attribute = el.getAttribute && el.getAttribute(name);
        if (attribute) {
          var swapped = swap(attribute);
          if (swapped !== attribute) { el.setAttribute(name, swapped); }
        }
      });
    });
  }
  ns.widgetText = function (pairs) {
    ns.widgetRules = pairs.map(function (p) { return [new RegExp("^" + p[0] + "$"), p[1]]; });
    if (ns.widgetObserver) { fix(document.body); return; }
    ns.widgetObserver = new MutationObserver(function (records) {
      records.forEach(function (record) {
        if (record.type === "childList") { record.addedNodes.forEach(fix); }
        else { fix(record.target); }
      });
    });
    ns.widgetObserver.observe(document.body, {
      childList: true, subtree: true, characterData: true,
      attributes: true, attributeFilter: ["aria-label", "placeholder", "title"]
    });
    fix(document.body);
  };
})(window.carteEss = window.carteEss || {});
