"""The organizer's personal cabinet: legal profile, status and team."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from eventum.accounts import AuthenticatedHttpRequest
from organizers import services
from organizers.cabinet import attention_items, overview_panels
from organizers.forms import ApiKeyForm, InvitationForm, MembershipRoleForm, OrganizerProfileForm
from organizers.models import ApiKey, Invitation, Membership
from organizers.permissions import (
    ROLES_PROFILE,
    ROLES_TEAM,
    OrganizerRequest,
    organizer_object_or_404,
    organizer_role_required,
)
from organizers.selectors import (
    api_keys_of,
    invitation_by_token,
    invitations_open,
    memberships_of,
    organizer_team,
)


@login_required
def cabinet_index(request: AuthenticatedHttpRequest) -> HttpResponse:
    memberships = list(memberships_of(user=request.user))
    if len(memberships) == 1 and "all" not in request.GET:
        return redirect("organizers:dashboard", organizer_slug=memberships[0].organizer.slug)
    return render(request, "organizers/cabinet_index.html", {"memberships": memberships})


@login_required
def organizer_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = OrganizerProfileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organizer = services.organizer_create(user=request.user, data=form.cleaned_data)
        messages.success(
            request,
            _("Your organizer profile is saved and sent to review. You can prepare drafts now."),
        )
        return redirect("organizers:dashboard", organizer_slug=organizer.slug)
    return render(request, "organizers/organizer_form.html", {"form": form, "creating": True})


@organizer_role_required()
def dashboard(request: OrganizerRequest, organizer_slug: str) -> HttpResponse:
    """The cabinet's home: what waits for the member, today's sales and the coming sessions,
    each part as the member's role allows (the parts come from the apps that own them)."""
    context = {
        "attention": attention_items(membership=request.membership),
        "panels": overview_panels(membership=request.membership),
    }
    return render(request, "organizers/dashboard.html", context)


@organizer_role_required(*ROLES_PROFILE)
def profile_edit(request: OrganizerRequest, organizer_slug: str) -> HttpResponse:
    form = OrganizerProfileForm(request.POST or None, instance=request.organizer)
    if request.method == "POST" and form.is_valid():
        was_pending = request.organizer.status == request.organizer.Status.PENDING
        organizer = services.organizer_update_profile(
            organizer=request.organizer,
            data={name: form.cleaned_data[name] for name in form.Meta.fields},
            changed_fields=form.changed_data,
        )
        if not was_pending and organizer.status == organizer.Status.PENDING:
            messages.info(
                request, _("The legal details changed, so the profile is under review again.")
            )
        messages.success(request, _("Profile saved."))
        return redirect("organizers:dashboard", organizer_slug=organizer.slug)
    return render(request, "organizers/organizer_form.html", {"form": form, "creating": False})


@organizer_role_required(*ROLES_TEAM)
def team(request: OrganizerRequest, organizer_slug: str) -> HttpResponse:
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.invitation_create(
            organizer=request.organizer,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            invited_by=request.user,
            base_url=request.build_absolute_uri("/"),
        )
        messages.success(
            request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]}
        )
        return redirect("organizers:team", organizer_slug=organizer_slug)
    context = {
        "form": form,
        "members": organizer_team(organizer=request.organizer),
        "invitations": invitations_open(organizer=request.organizer),
        "roles": Membership.Role.choices,
    }
    return render(request, "organizers/team.html", context)


@require_POST
@organizer_role_required(*ROLES_TEAM)
def member_role(request: OrganizerRequest, organizer_slug: str, pk: int) -> HttpResponse:
    membership = organizer_object_or_404(Membership, organizer=request.organizer, pk=pk)
    form = MembershipRoleForm(request.POST)
    if form.is_valid():
        try:
            services.membership_change_role(membership=membership, role=form.cleaned_data["role"])
            messages.success(request, _("Role changed."))
        except services.OrganizerError as error:
            messages.error(request, str(error))
    return redirect("organizers:team", organizer_slug=organizer_slug)


@require_http_methods(["GET", "POST"])
@organizer_role_required(*ROLES_TEAM)
def member_remove(request: OrganizerRequest, organizer_slug: str, pk: int) -> HttpResponse:
    """Two steps: a GET, or a POST without ``confirm``, asks first; the confirming POST removes."""
    membership = organizer_object_or_404(
        Membership.objects.select_related("user"), organizer=request.organizer, pk=pk
    )
    if request.POST.get("confirm") != "yes":
        return render(request, "organizers/member_remove.html", {"member": membership})
    try:
        services.membership_remove(membership=membership)
        messages.success(request, _("Removed from the team."))
    except services.OrganizerError as error:
        messages.error(request, str(error))
    return redirect("organizers:team", organizer_slug=organizer_slug)


@require_POST
@organizer_role_required(*ROLES_TEAM)
def invitation_revoke(request: OrganizerRequest, organizer_slug: str, pk: int) -> HttpResponse:
    invitation = organizer_object_or_404(
        Invitation, organizer=request.organizer, pk=pk, accepted_at__isnull=True
    )
    services.invitation_revoke(invitation=invitation)
    messages.success(request, _("Invitation withdrawn."))
    return redirect("organizers:team", organizer_slug=organizer_slug)


@login_required
def invitation_accept(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    invitation = invitation_by_token(token=token)
    if invitation is None:
        return render(request, "organizers/invitation.html", {"invitation": None}, status=404)
    if request.method == "POST":
        try:
            membership = services.invitation_accept(invitation=invitation, user=request.user)
        except services.OrganizerError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("Welcome to the team of %(name)s.") % {"name": invitation.organizer}
            )
            return redirect("organizers:dashboard", organizer_slug=membership.organizer.slug)
    return render(request, "organizers/invitation.html", {"invitation": invitation})


@organizer_role_required(*ROLES_TEAM)
def api_keys(request: OrganizerRequest, organizer_slug: str) -> HttpResponse:
    """Keys for the API's organizer endpoints; a new key's secret is shown once, right here."""
    form = ApiKeyForm(request.POST or None)
    new = None
    if request.method == "POST" and form.is_valid():
        new = services.api_key_create(
            organizer=request.organizer,
            label=form.cleaned_data["label"],
            scopes=form.cleaned_data["scopes"],
            created_by=request.user,
        )
        form = ApiKeyForm()
    response = render(
        request,
        "organizers/api_keys.html",
        {"form": form, "new": new, "keys": api_keys_of(organizer=request.organizer)},
        status=400 if form.is_bound and form.errors else 200,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
@organizer_role_required(*ROLES_TEAM)
def api_key_revoke(request: OrganizerRequest, organizer_slug: str, pk: int) -> HttpResponse:
    """Two steps: a GET, or a POST without ``confirm``, asks first; the confirming POST revokes."""
    key = organizer_object_or_404(ApiKey, organizer=request.organizer, pk=pk)
    if request.POST.get("confirm") != "yes":
        return render(request, "organizers/api_key_revoke.html", {"key": key})
    services.api_key_revoke(key_id=key.pk, organizer=request.organizer)
    messages.success(request, _("The key “%(label)s” no longer works.") % {"label": key.label})
    return redirect("organizers:api_keys", organizer_slug=organizer_slug)
