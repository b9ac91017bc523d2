from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve as serve_file

from events.views.public import sitemap_xml
from eventum.api.site import api
from eventum.views import account_overview
from privacy.views import account as privacy_account

handler500 = "eventum.database_outage.server_error"  # a database outage is a 503

admin.site.site_header = "eventum — администрирование"
admin.site.site_title = "eventum"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("sitemap.xml", sitemap_xml, name="sitemap"),
    path("api/v1/", api.urls),
    # Before allauth's own route, as for the site's page: a blocked subject's e-mails stay.
    path(
        "_allauth/app/v1/account/email",
        privacy_account.app_account_email_view,
        name="app_account_email",
    ),
    path("_allauth/", include("allauth.headless.urls")),
    # Apple Wallet's web service: its address is written into every pass, never language-bound.
    path("wallet/apple/", include("tickets.wallet.webservice_urls")),
]

urlpatterns += i18n_patterns(
    # Before allauth's own route: a blocked subject's account e-mails cannot be changed.
    path("accounts/email/", privacy_account.account_email_view, name="account_email"),
    path("accounts/", include("allauth.urls")),
    path("account/", account_overview, name="account_overview"),
    path("cabinet/<slug:organizer_slug>/events/", include("events.urls_cabinet")),
    path("cabinet/", include("organizers.urls")),
    path("privacy/", include("privacy.urls")),
    path(
        "", include("tickets.urls")
    ),  # /orders/… for buyers, /cabinet/<organizer>/… for organizers
    path("widget/", include("tickets.widget.urls")),
    path("", include("events.urls")),
    prefix_default_language=False,
)

if not settings.PRODUCTION:
    # The embedded default serves uploaded posters itself (production: nginx), DEBUG on or off.
    urlpatterns.append(
        re_path(
            rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$",
            serve_file,
            {"document_root": settings.MEDIA_ROOT},
        )
    )

if settings.BENCH_ENDPOINTS:
    from eventum.views import bench_trivial

    # The framework's floor for `make bench`: same middleware, no template, no query.
    urlpatterns.append(path("bench/trivial", bench_trivial, name="bench_trivial"))
