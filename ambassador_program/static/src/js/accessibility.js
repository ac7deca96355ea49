/* Forms of the ambassador programme (GOV.UK's error summary pattern): the
 * summary of errors takes the focus when the page opens, and its links move
 * the focus to the field they name (an anchor alone only scrolls). */
(function () {
    "use strict";
    function ready() {
        var summary = document.querySelector(".o_ambassador_error_summary");
        if (!summary) {
            return;
        }
        // Each error names its field: the messages alone ("This information
        // is required.") do not say which one.
        var colon = (document.documentElement.lang || "").indexOf("fr") === 0 ? "\u00a0: " : ": ";
        Array.prototype.forEach.call(summary.querySelectorAll("a[href^='#']"), function (link) {
            var label = document.querySelector("label[for='" + link.getAttribute("href").substring(1) + "']");
            var text = label && label.textContent.replace(/\*/g, "").trim();
            if (text && link.textContent.indexOf(text) !== 0) {
                link.insertBefore(document.createTextNode(text + colon), link.firstChild);
            }
        });
        summary.focus();
        summary.addEventListener("click", function (event) {
            var link = event.target.closest("a[href^='#']");
            var id = link && link.getAttribute("href").substring(1);
            var field = id && document.getElementById(id);
            if (field) {
                event.preventDefault();
                var label = document.querySelector("label[for='" + id + "']");
                (label || field).scrollIntoView();
                field.focus({preventScroll: true});
            }
        });
    }
    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", ready);
    } else {
        ready();
    }
})();
