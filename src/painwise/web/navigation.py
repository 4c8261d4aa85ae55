"""Which main-navigation tab a page belongs to, so sub-pages highlight their tab too (a lab chart
highlights "Labs", a plan item's edit page highlights "My plan")."""

from __future__ import annotations

from django.http import HttpRequest

# view name -> tab, checked before the namespace rules below.
VIEW_TABS = {
    "web:home": "home",
    "web:entry_create": "home",
    "web:entry_form": "home",
    "web:chart": "home",
    "web:timeline": "home",
    "web:diary": "home",
    "web:diary_edit": "home",
    "web:diary_delete": "home",
    "web:profile": "profile",
    "web:condition_new": "profile",
    "web:condition_edit": "profile",
    "web:reminders": "profile",
    "web:reminder_read": "profile",
    "web:plan": "plan",
    "web:plan_new": "plan",
    "web:plan_edit": "plan",
    "web:sharing": "sharing",
    "web:share_create": "sharing",
    "web:my_audit": "sharing",
    "web:erase": "sharing",
    "web:security": "security",
    "web:otp_enrol": "security",
    "web:redeem": "redeem",
    "web:admin_accounts": "accounts",
    "web:admin_account_action": "accounts",
    "web:admin_audit": "audit",
    "web:patient_detail": "home",
    "web:patient_chart": "home",
    "web:patient_timeline": "home",
}
NAMESPACE_TABS = {
    "questionnaires": "questionnaires",
    "monitoring": "worklist",
    "pharmacovigilance": "signals",
    "research": "research",
}


def nav_tab(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return ""
    if match.view_name in VIEW_TABS:
        return VIEW_TABS[match.view_name]
    patient = getattr(request.user, "role", "") == "patient"
    if match.namespace == "labs":
        # Patients have a Labs tab; a clinician's lab pages belong to the patient they are about.
        return "labs" if patient else "home"
    if match.namespace == "reports":
        # The patient's Insights tab holds their report and CSV; a clinician's are about a patient.
        return "insights" if patient else "home"
    return NAMESPACE_TABS.get(match.namespace, "")
