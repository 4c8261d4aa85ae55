"""The research consent a patient reads before opting in. A new wording gets a new version; each decision
stores the version and the exact text the patient was shown."""

CONSENT_VERSION = "2026-11-v1"

_PARAGRAPHS = (
    "You can choose to let researchers use your painwise records to study chronic pain, kratom use, blood "
    "results and hair shedding.",
    "If you opt in:\n"
    "- Only a de-identified copy leaves: no name, username, account, date of birth (an age band instead), "
    "time zone, free text, notes or laboratory names. Every date is moved by a random number of days that is "
    "different for every patient and every export.\n"
    "- Researchers see only that copy and tables and charts built from many patients. They never see your "
    "account or your real dates, and they cannot contact you through painwise.\n"
    "- Each export that includes you appears in your own audit trail.",
    "You can opt out at any time here. Opting out applies to every export made after it; copies already "
    "exported cannot be recalled. Opting in or out never changes your care, and painwise works the same "
    "either way.",
    "De-identification lowers the risk of someone recognising you but cannot remove it entirely (for example "
    "through a rare combination of age, sex and an unusual history).",
)
CONSENT_TEXT = "\n\n".join(_PARAGRAPHS) + "\n"
