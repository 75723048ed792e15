"""Django's own messages that our users meet but Django's Kazakh catalog leaves untranslated
(about half of it is empty: the login error, length and number validators, the CSRF page...), plus
the genitive month names used by the kk date format ("23 қараша 2026 ж.", where Django's kk
catalog has them capitalised).

Nothing imports this module. It exists so that `makemessages` puts these msgids into our catalog,
where they get a Kazakh (and Russian) translation; our LOCALE_PATHS catalog takes precedence over
Django's. The msgids must stay byte-identical to Django's, or the translation never applies.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext_lazy

LOGIN = (
    _("Please enter a correct %(username)s and password. Note that both fields may be case-sensitive."),
    _("This account is inactive."),
    _("username"),
    _("password"),
    _("Password"),
    _("Email"),
    _("email address"),
)

FORMS = (
    _("This field is required."),
    _("Enter a valid integer."),
    _("Enter a valid email address."),
    _("Enter a valid date."),
    _("Enter a complete value."),
    _("Enter a valid duration."),
    _("Enter a valid UUID."),
    _("- Select an option -"),
    _("Null characters are not allowed."),
    _("Value %(value)r is not a valid choice."),
    _("%(model_name)s with this %(field_labels)s already exists."),
    _("Constraint “%(name)s” is violated."),
    _("%(field_label)s must be unique for %(date_field_label)s %(lookup_type)s."),
    _("%(model)s instance with %(field)s %(value)r is not a valid choice."),
    _("“%(pk)s” is not a valid value."),
    _("“%(value)s” value has an invalid date format. It must be in YYYY-MM-DD format."),
    _("“%(value)s” value has the correct format (YYYY-MM-DD) but it is an invalid date."),
    _("“%(value)s” value must be a decimal number."),
    _("“%(value)s” value must be an integer."),
    _("“%(value)s” value must be either True or False."),
    _("(Hidden field %(name)s) %(error)s"),
    _("ManagementForm data is missing or has been tampered with. Missing fields: %(field_names)s. You may need "
      "to file a bug report if the issue persists."),
    _("File extension “%(extension)s” is not allowed. Allowed extensions are: %(allowed_extensions)s."),
    _("%(datetime)s couldn’t be interpreted in time zone %(current_timezone)s; it may be ambiguous or it "
      "may not exist."),
    _("Date out of range"),
    _("No %s matches the given query."),
    ngettext_lazy(
        "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
    ngettext_lazy(
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s digit in total.",
        "Ensure that there are no more than %(max)s digits in total.",
        "max",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s decimal place.",
        "Ensure that there are no more than %(max)s decimal places.",
        "max",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s digit before the decimal point.",
        "Ensure that there are no more than %(max)s digits before the decimal point.",
        "max",
    ),
    ngettext_lazy(
        "Ensure this filename has at most %(max)d character (it has %(length)d).",
        "Ensure this filename has at most %(max)d characters (it has %(length)d).",
        "max",
    ),
    ngettext_lazy("Please submit at most %(num)d form.", "Please submit at most %(num)d forms.", "num"),
    ngettext_lazy("Please submit at least %(num)d form.", "Please submit at least %(num)d forms.", "num"),
)

PASSWORDS = (
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "min_length",
    ),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        "min_length",
    ),
    _("The password is too similar to the %(verbose_name)s."),
    _("Your password can’t be too similar to your other personal information."),
    _("This password is too common."),
    _("Your password can’t be a commonly used password."),
    _("This password is entirely numeric."),
    _("Your password can’t be entirely numeric."),
    _("The two password fields didn’t match."),
    _("Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters."),
    _("Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only."),
)

PAGES = (
    _("That page number is not an integer"),
    _("That page number is less than 1"),
    _("That page contains no results"),
    _("Forbidden"),
    _("CSRF verification failed. Request aborted."),
)

# `timesince` / `timeuntil` ("3 days ago" on task lists).
DURATIONS = (
    ngettext_lazy("%(num)d year", "%(num)d years", "num"),
    ngettext_lazy("%(num)d month", "%(num)d months", "num"),
    ngettext_lazy("%(num)d week", "%(num)d weeks", "num"),
    ngettext_lazy("%(num)d day", "%(num)d days", "num"),
    ngettext_lazy("%(num)d hour", "%(num)d hours", "num"),
    ngettext_lazy("%(num)d minute", "%(num)d minutes", "num"),
)

# Month names in the genitive ("23 қараша"), lower case as Kazakh writes them inside a date.
MONTHS_GENITIVE = (
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
)
