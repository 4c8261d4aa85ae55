from django.conf import settings
from django.contrib.staticfiles.views import serve
from django.urls import path, re_path

from painwise.web.views import (
    accounts_admin,
    audit,
    auth,
    clinician,
    diary_pages,
    home,
    offline,
    patient,
    records,
    reminders,
    rights,
    security,
    sharing,
    signup,
)

app_name = "web"

urlpatterns = [
    path("", home.home, name="home"),
    path("login/", auth.LoginView.as_view(), name="login"),
    # Installable app and offline quick entry (docs/web.md, "Offline entry").
    path("sw.js", offline.service_worker, name="service_worker"),
    path("manifest.webmanifest", offline.manifest, name="manifest"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    # Two-factor sign-in and the account pages (docs/web.md, "Account, sharing and audit").
    path("login/code/", security.login_otp, name="login_otp"),
    path("security/", security.security, name="security"),
    path("security/enrol/", security.otp_enrol, name="otp_enrol"),
    path("security/tokens/<uuid:token_id>/revoke/", security.token_revoke, name="token_revoke"),
    path("sharing/", sharing.sharing, name="sharing"),
    path("sharing/codes/", sharing.share_create, name="share_create"),
    path("sharing/grants/<uuid:grant_id>/revoke/", sharing.grant_revoke, name="grant_revoke"),
    path("me/audit/", rights.my_audit, name="my_audit"),
    path("me/export/", rights.my_export, name="my_export"),
    path("me/erase/", rights.erase, name="erase"),
    path("me/erased/", rights.erased, name="erased"),
    path("patients/add/", sharing.redeem, name="redeem"),
    path("audit/", audit.admin_audit, name="admin_audit"),
    path("accounts/", accounts_admin.admin_accounts, name="admin_accounts"),
    path("accounts/<uuid:user_id>/<slug:action>/", accounts_admin.admin_account_action, name="admin_account_action"),
    path("audit.csv", audit.admin_audit_csv, name="admin_audit_csv"),
    path("diary/", diary_pages.diary, name="diary"),
    path("diary/<slug:kind>/<uuid:record_id>/edit/", diary_pages.diary_edit, name="diary_edit"),
    path("diary/<slug:kind>/<uuid:record_id>/delete/", diary_pages.diary_delete, name="diary_delete"),
    path("diary/<slug:slug>/new/", patient.entry_create, name="entry_create"),
    path("diary/<slug:slug>/form/", patient.entry_form, name="entry_form"),
    path("diary/chart/", patient.chart, name="chart"),
    path("diary/timeline/", patient.timeline, name="timeline"),
    # The patient's own profile, conditions and plan (docs/web.md, "Profile and plan").
    path("signup/", signup.signup, name="signup"),
    path("me/profile/", records.profile, name="profile"),
    path("me/conditions/new/", records.condition_new, name="condition_new"),
    path("me/conditions/<uuid:condition_id>/", records.condition_edit, name="condition_edit"),
    path("me/conditions/<uuid:condition_id>/delete/", records.condition_remove, name="condition_delete"),
    path("me/reminders/", reminders.reminders, name="reminders"),
    path("me/reminders/<uuid:reminder_id>/read/", reminders.reminder_read, name="reminder_read"),
    path("me/plan/", records.plan, name="plan"),
    path("me/plan/new/<slug:kind>/", records.plan_new, name="plan_new"),
    path("me/plan/<uuid:therapy_id>/", records.plan_edit, name="plan_edit"),
    path("me/plan/<uuid:therapy_id>/stop/", records.plan_stop, name="plan_stop"),
    path("me/plan/<uuid:therapy_id>/delete/", records.plan_delete, name="plan_delete"),
    path("patients/<uuid:patient_id>/", clinician.patient_detail, name="patient_detail"),
    path("patients/<uuid:patient_id>/chart/", clinician.patient_chart, name="patient_chart"),
    path("patients/<uuid:patient_id>/timeline/", clinician.patient_timeline, name="patient_timeline"),
]

if not settings.PRODUCTION:
    # `make run` serves without DEBUG; let it serve our own CSS/JS and htmx. Production serves
    # collected static files from the web server instead.
    urlpatterns.append(re_path(r"^static/(?P<path>.*)$", serve, {"insecure": True}))
