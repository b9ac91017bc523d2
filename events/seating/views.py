"""Cabinet pages of reserved seating: seat maps (import, generators, preview) and the seating
of a session (map, prices per category, blocked seats)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events.models import SeatMap, Session, SessionSeatBlock, SessionSeating, SessionSeatPrice
from events.seating.forms import (
    BlockGeneratorForm,
    GeneratedMapForm,
    RowsGeneratorForm,
    SeatBlockForm,
    SeatCategoryNamesForm,
    SeatMapImportForm,
    SessionSeatingForm,
)
from events.seating.layouts import Layout, LayoutError
from events.seating.services import (
    seat_category_names_save,
    seat_map_add_seats,
    seat_map_create,
    seat_map_delete,
    session_seating_set,
    session_seats_block,
)
from events.seating.svg import SeatDot, seat_map_svg
from eventum.numbers import whole_number
from organizers.permissions import ROLES_EVENTS, organizer_object_or_404, organizer_role_required


def _seat_map(request: HttpRequest, pk: int) -> SeatMap:
    return organizer_object_or_404(
        SeatMap.objects.select_related("venue"), organizer=request.organizer, pk=pk
    )


def _preview(seat_map: SeatMap, blocked: set[int] = frozenset()):
    seats = [
        SeatDot(*row)
        for row in seat_map.seats.order_by("y", "x", "id").values_list(
            "pk", "x", "y", "label", "section", "row", "category_id"
        )
    ]
    colors = {c.pk: c.color for c in seat_map.categories.all()}
    return seat_map_svg(seats=seats, colors=colors, blocked=blocked)


def _to_map(seat_map: SeatMap) -> HttpResponse:
    return redirect(
        "events_cabinet:seat_map_detail", organizer_slug=seat_map.organizer.slug, pk=seat_map.pk
    )


@organizer_role_required(*ROLES_EVENTS)
def seat_map_list(request: HttpRequest, organizer_slug: str) -> HttpResponse:
    organizer = request.organizer
    action = request.POST.get("action") if request.method == "POST" else None
    import_form = SeatMapImportForm(
        request.POST if action == "import" else None,
        request.FILES if action == "import" else None,
        organizer=organizer,
        prefix="import",
    )
    generate_form = GeneratedMapForm(
        request.POST if action == "generate" else None, organizer=organizer, prefix="generate"
    )
    form = {"import": import_form, "generate": generate_form}.get(action)
    if form is not None and form.is_valid():
        layout = form.cleaned_data["layout"] if action == "import" else Layout(seats=form.seats())
        try:
            seat_map = seat_map_create(
                organizer=organizer,
                venue=form.cleaned_data["venue"],
                name=form.cleaned_data["name"],
                layout=layout,
            )
        except LayoutError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("The seat map is saved: %(count)d seats.") % {"count": len(layout.seats)}
            )
            return _to_map(seat_map)
    maps = SeatMap.objects.filter(organizer=organizer).select_related("venue__city")
    return render(
        request,
        "events/cabinet/seat_map_list.html",
        {"maps": maps, "import_form": import_form, "generate_form": generate_form},
        status=400 if form is not None else 200,
    )


@organizer_role_required(*ROLES_EVENTS)
def seat_map_detail(request: HttpRequest, organizer_slug: str, pk: int) -> HttpResponse:
    seat_map = _seat_map(request, pk)
    action = request.POST.get("action") if request.method == "POST" else None
    block_form = BlockGeneratorForm(request.POST if action == "block" else None, prefix="block")
    rows_form = RowsGeneratorForm(request.POST if action == "rows" else None, prefix="rows")
    names_form = SeatCategoryNamesForm(
        request.POST if action == "names" else None, seat_map=seat_map, prefix="names"
    )
    form = {"block": block_form, "rows": rows_form, "names": names_form}.get(action)
    if form is names_form and form.is_valid():
        try:
            seat_category_names_save(seat_map=seat_map, names=names_form.names())
        except LayoutError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The category names are saved."))
            return _to_map(seat_map)
    elif form is not None and form.is_valid():
        try:
            added = seat_map_add_seats(seat_map=seat_map, seats=form.seats())
        except LayoutError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("%(count)d seats added.") % {"count": added})
            return _to_map(seat_map)
    categories = seat_map.categories.all()
    context = {
        "seat_map": seat_map,
        "svg": _preview(seat_map),
        "seat_count": seat_map.seats.count(),
        "categories": categories,
        "in_use": SessionSeating.objects.filter(seat_map=seat_map).exists(),
        "block_form": block_form,
        "rows_form": rows_form,
        "names_form": names_form,
    }
    return render(
        request,
        "events/cabinet/seat_map_detail.html",
        context,
        status=400 if form is not None else 200,
    )


@require_POST
@organizer_role_required(*ROLES_EVENTS)
def seat_map_remove(request: HttpRequest, organizer_slug: str, pk: int) -> HttpResponse:
    seat_map = _seat_map(request, pk)
    try:
        seat_map_delete(seat_map=seat_map)
    except LayoutError as exc:
        messages.error(request, exc.message)
        return _to_map(seat_map)
    messages.success(request, _("The seat map is deleted."))
    return redirect("events_cabinet:seat_map_list", organizer_slug=organizer_slug)


@organizer_role_required(*ROLES_EVENTS)
def session_seating(request: HttpRequest, organizer_slug: str, pk: int) -> HttpResponse:
    session = organizer_object_or_404(
        Session.objects.select_related("event__organizer"),
        organizer=request.organizer,
        organizer_field="event__organizer",
        pk=pk,
    )
    seating = SessionSeating.objects.select_related("seat_map").filter(session=session).first()
    seat_map = seating.seat_map if seating else None
    prices = {
        p.category_id: p.ticket_type.price
        for p in SessionSeatPrice.objects.filter(session=session).select_related("ticket_type")
    }
    action = request.POST.get("action") if request.method == "POST" else None
    seat_map_id = whole_number(request.POST.get("seat_map")) if action == "seating" else None
    if seat_map_id is not None:
        chosen = SeatMap.objects.filter(organizer=request.organizer, pk=seat_map_id).first()
        seat_map = chosen or seat_map
    form = SessionSeatingForm(
        request.POST if action == "seating" else None,
        organizer=request.organizer,
        seat_map=seat_map,
        prices=prices,
    )
    block_form = (
        SeatBlockForm(request.POST if action == "block" else None, seat_map=seating.seat_map)
        if seating
        else None
    )
    bound = {"seating": form, "block": block_form}.get(action)
    if bound is not None and bound.is_valid():
        try:
            if action == "seating":
                session_seating_set(
                    session=session, seat_map=bound.cleaned_data["seat_map"], prices=form.prices()
                )
                done = _("The session is sold by seats. Check the prices of each category.")
            else:
                session_seats_block(
                    session=session,
                    seat_ids=bound.seat_ids,
                    reason=bound.cleaned_data["reason"],
                    block=not bound.cleaned_data["unblock"],
                )
                done = _("The blocked seats are saved.")
        except LayoutError as exc:
            bound.add_error(None, exc.message)
        else:
            messages.success(request, done)
            return redirect(request.path)
    blocked = set(
        SessionSeatBlock.objects.filter(session=session).values_list("seat_id", flat=True)
    )
    context = {
        "session": session,
        "event": session.event,
        "seating": seating,
        "form": form,
        "block_form": block_form,
        "blocked_count": len(blocked),
        "svg": _preview(seating.seat_map, blocked) if seating else "",
        "ticket_types": session.ticket_types.all(),
    }
    return render(
        request,
        "events/cabinet/session_seating.html",
        context,
        status=400 if bound is not None else 200,
    )
