from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """The login account. The person behind it (names, position, memberships)
    is ``orgs.Person``; an account is optional for a person, not the reverse."""

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
