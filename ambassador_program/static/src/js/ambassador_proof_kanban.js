/* Copyright 2026 Ambassador Program contributors
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
odoo.define('ambassador_program.ProofKanbanView', function (require) {
"use strict";

/* The proof review board: deciding a proof from its card (approve, or reject
 * through the wizard) moves it to its new column at once. Odoo 11's kanban
 * only re-reads the card, and keeps it where it was when it cannot evaluate
 * the column's domain: here the columns are read again. */
var Context = require('web.Context');
var KanbanController = require('web.KanbanController');
var KanbanView = require('web.KanbanView');
var viewRegistry = require('web.view_registry');

var ProofKanbanController = KanbanController.extend({
    _onButtonClicked: function (event) {
        event.stopPropagation();
        var self = this;
        var attrs = event.data.attrs;
        var record = event.data.record;
        if (attrs.context) {
            attrs.context = new Context(attrs.context).set_eval_context({
                active_id: record.res_id,
                active_ids: [record.res_id],
                active_model: record.model,
            });
        }
        this.trigger_up('execute_action', {
            action_data: attrs,
            env: {
                context: record.getContext(),
                currentID: record.res_id,
                model: record.model,
                resIDs: record.res_ids,
            },
            on_closed: function () {
                self.reload();
            },
        });
    },
});

var ProofKanbanView = KanbanView.extend({
    config: _.extend({}, KanbanView.prototype.config, {
        Controller: ProofKanbanController,
    }),
});

viewRegistry.add('ambassador_proof_kanban', ProofKanbanView);

return ProofKanbanView;
});
