/* The share page's "Copy" buttons (issue 14): copy the personal link or a
 * ready text, and say so in the page's live region. Our own script only: no
 * script of the social networks on our pages. */
(function () {
    "use strict";
    function copy(field) {
        if (navigator.clipboard && window.isSecureContext) {
            return navigator.clipboard.writeText(field.value);
        }
        field.select();
        return new Promise(function (resolve, reject) {
            (document.execCommand("copy") ? resolve : reject)();
        });
    }
    document.addEventListener("click", function (event) {
        var button = event.target.closest(".o_ambassador_copy");
        if (!button) {
            return;
        }
        var field = document.getElementById(button.getAttribute("data-copy"));
        var status = document.getElementById("share_copy_status");
        if (!field || !status) {
            return;
        }
        copy(field).then(function () {
            status.textContent = button.getAttribute("data-done");
        }, function () {
            field.select();
            status.textContent = button.getAttribute("data-failed");
        });
    });
}());
