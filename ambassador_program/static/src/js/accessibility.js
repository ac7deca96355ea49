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
        summary.focus();
        summary.addEventListener("click", function (event) {
            var link = event.target.closest("a[href^='#']");
            var field = link && document.getElementById(link.getAttribute("href").substring(1));
            if (field) {
                event.preventDefault();
                field.scrollIntoView();
                field.focus();
            }
        });
    }
    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", ready);
    } else {
        ready();
    }
})();
