"""Correcting a directive: edit or delete an item, cancel an item or a whole directive, unassign a task.

Each change is asked for on a confirmation page (a plain form: it works without JavaScript) and audited.
"""
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.clock import today
from app.directives import bp, services
from app.directives.forms import CancelForm, ItemForm
from app.directives.routes import directive_page
from app.forms import ConfirmForm, form_status, saved
from app.htmx import render
from app.models import Directive, Item, Task
from app.permissions import get_or_404, require

MANAGE = "directive.manage"


@bp.route("/items/<int:item_id>/edit", methods=["GET", "POST"])
@require(MANAGE)
def edit_item(item_id: int):
    """Correct an item; its tasks are listed, each with a way to unassign it while nobody has reported on it."""
    item = get_or_404(Item, item_id, current_user, MANAGE)
    form = ItemForm(obj=item, kpi=item.kpi.value if item.kpi else "",
                    recurrence=item.recurrence.value if item.recurrence else "")
    done = saved(form, lambda: services.update_item(item, current_user, **{
        name: form[name].data for name in services.ITEM_FIELDS}), _("Item saved."),
        directive_page(item.directive_id))
    return done or render("directives/item_form.html", form=form, item=item,
                          reported=services.reported_task_ids(item), status=form_status(form))


@bp.get("/items/<int:item_id>/delete")
@require(MANAGE)
def confirm_delete_item(item_id: int):
    """Ask before deleting an item; once units have reported on it, offer to cancel its open tasks instead."""
    item = get_or_404(Item, item_id, current_user, MANAGE)
    return _item_confirmation(item, ConfirmForm(), CancelForm())


def _item_confirmation(item: Item, form: ConfirmForm, cancel_form: CancelForm, status: int = 200):
    return render("directives/confirm.html", obj=item, kind="item", form=form, cancel_form=cancel_form,
                  deletable=not services.item_has_updates(item), status=status)


@bp.post("/items/<int:item_id>/delete")
@require(MANAGE)
def delete_item(item_id: int):
    """Delete an item recorded by mistake, with its tasks (only while nobody has reported on them)."""
    item = get_or_404(Item, item_id, current_user, MANAGE)
    form = ConfirmForm()
    done = saved(form, lambda: services.delete_item(item, current_user), _("Item deleted."),
                 directive_page(item.directive_id))
    return done or _item_confirmation(item, form, CancelForm(), form_status(form))


@bp.post("/items/<int:item_id>/cancel")
@require(MANAGE)
def cancel_item(item_id: int):
    """Cancel the item's open tasks with a reason."""
    item = get_or_404(Item, item_id, current_user, MANAGE)
    form = CancelForm()
    done = saved(form, lambda: services.cancel_item(item, current_user, form.reason.data),
                 lambda cancelled: _("%(count)d open tasks cancelled.", count=len(cancelled)),
                 directive_page(item.directive_id))
    return done or _item_confirmation(item, ConfirmForm(), form, form_status(form))


@bp.get("/directives/<int:directive_id>/cancel")
@require(MANAGE)
def confirm_cancel(directive_id: int):
    """Ask for the reason before cancelling a directive."""
    directive = get_or_404(Directive, directive_id, current_user, MANAGE)
    return render("directives/confirm.html", obj=directive, kind="directive", cancel_form=CancelForm())


@bp.post("/directives/<int:directive_id>/cancel")
@require(MANAGE)
def cancel(directive_id: int):
    """Cancel a directive: its open tasks are cancelled with the reason."""
    directive = get_or_404(Directive, directive_id, current_user, MANAGE)
    form = CancelForm()
    done = saved(form, lambda: services.cancel_directive(directive, current_user, form.reason.data, today()),
                 lambda cancelled: _("Directive cancelled; %(count)d open tasks cancelled.", count=len(cancelled)),
                 directive_page(directive.id))
    return done or render("directives/confirm.html", obj=directive, kind="directive", cancel_form=form,
                          status=form_status(form))


@bp.get("/tasks/<int:task_id>/unassign")
@require(MANAGE)
def confirm_unassign(task_id: int):
    """Ask before taking a task back from its unit."""
    task = get_or_404(Task, task_id, current_user, MANAGE)
    return render("directives/confirm.html", obj=task, kind="task", form=ConfirmForm(),
                  deletable=not services.task_has_updates(task))


@bp.post("/tasks/<int:task_id>/unassign")
@require(MANAGE)
def unassign(task_id: int):
    """Take a task back from its unit (assigned by mistake), while nobody has reported on it."""
    task = get_or_404(Task, task_id, current_user, MANAGE)
    form = ConfirmForm()
    done = saved(form, lambda: services.unassign_task(task, current_user), _("Task unassigned."),
                 lambda item: url_for("directives.edit_item", item_id=item.id))
    return done or render("directives/confirm.html", obj=task, kind="task", form=form, deletable=False,
                          status=form_status(form))
