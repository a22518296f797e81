"""Django's own messages that its Thai catalogue leaves in English (field validation, model
checks, the CSRF page), kept here so that `makemessages` keeps their Thai in our catalogue.
Never called: the calls only mark the strings (the texts must match Django's exactly)."""

from __future__ import annotations

from django.utils.translation import gettext_noop, ngettext


def _marked() -> None:  # pragma: no cover - read by makemessages, never run
    gettext_noop("This field is required.")
    ngettext(
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
        1,
    )
    ngettext(
        "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
        1,
    )
    gettext_noop("Ensure this value is less than or equal to %(limit_value)s.")
    gettext_noop("Ensure this value is greater than or equal to %(limit_value)s.")
    ngettext(
        "Ensure that there are no more than %(max)s digit in total.",
        "Ensure that there are no more than %(max)s digits in total.",
        1,
    )
    ngettext(
        "Ensure that there are no more than %(max)s decimal place.",
        "Ensure that there are no more than %(max)s decimal places.",
        1,
    )
    ngettext(
        "Ensure that there are no more than %(max)s digit before the decimal point.",
        "Ensure that there are no more than %(max)s digits before the decimal point.",
        1,
    )
    ngettext(
        "Ensure this filename has at most %(max)d character (it has %(length)d).",
        "Ensure this filename has at most %(max)d characters (it has %(length)d).",
        1,
    )
    gettext_noop("Enter a whole number.")
    gettext_noop("Enter a number.")
    gettext_noop("Enter a valid integer.")
    gettext_noop("Enter a valid date.")
    gettext_noop("Enter a valid time.")
    gettext_noop("Enter a valid date/time.")
    gettext_noop("Enter a valid value.")
    gettext_noop("Enter a valid URL.")
    gettext_noop("Enter a valid email address.")
    gettext_noop("Enter a list of values.")
    gettext_noop("Enter a complete value.")
    gettext_noop("Enter a valid “slug” consisting of letters, numbers, underscores or hyphens.")
    gettext_noop("Enter a valid “slug” consisting of Unicode letters, numbers, underscores, or hyphens.")
    gettext_noop("Select a valid choice. %(value)s is not one of the available choices.")
    gettext_noop("Select a valid choice. That choice is not one of the available choices.")
    gettext_noop("“%(pk)s” is not a valid value.")
    gettext_noop("Value %(value)r is not a valid choice.")
    gettext_noop("Null characters are not allowed.")
    gettext_noop(
        "File extension “%(extension)s” is not allowed. Allowed extensions are: %(allowed_extensions)s."
    )
    gettext_noop("The submitted file is empty.")
    gettext_noop("No file was submitted. Check the encoding type on the form.")
    gettext_noop("No file was submitted.")
    gettext_noop("Upload a valid image. The file you uploaded was either not an image or a corrupted image.")
    gettext_noop("Please either submit a file or check the clear checkbox, not both.")
    gettext_noop("%(model_name)s with this %(field_labels)s already exists.")
    gettext_noop("%(model_name)s with this %(field_label)s already exists.")
    gettext_noop("“%(value)s” is not a valid UUID.")
    gettext_noop("“%(value)s” value must be an integer.")
    gettext_noop("“%(value)s” value must be a decimal number.")
    gettext_noop("“%(value)s” value has an invalid date format. It must be in YYYY-MM-DD format.")
    gettext_noop("“%(value)s” value has the correct format (YYYY-MM-DD) but it is an invalid date.")
    gettext_noop("Year")
    gettext_noop("Month")
    gettext_noop("Day")
    gettext_noop("CSRF verification failed. Request aborted.")
