"""Organisations, people, memberships with roles, KM teams and committees."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from platu.lib.thainames import name_sort_key, thai_sort_key


class Role(models.TextChoices):
    """A person's role in an organisation's KM structure (worksheet 6)."""

    CEO = "ceo", _("CEO (chief executive)")
    CKO = "cko", _("CKO (chief knowledge officer)")
    KM_LEAD = "km_lead", _("KM team lead")
    KM_DEPUTY = "km_deputy", _("KM team deputy lead")
    KM_MEMBER = "km_member", _("KM team member")
    SECRETARY = "secretary", _("Secretary")
    ASSISTANT_SECRETARY = "assistant_secretary", _("Assistant secretary")
    MEMBER = "member", _("Member")


class KMRole(models.TextChoices):
    """The KM roles of the Thai KM model."""

    ENABLER = "enabler", _("Enabler (คุณเอื้อ)")
    FACILITATOR = "facilitator", _("Facilitator (คุณอำนวย)")
    PRACTITIONER = "practitioner", _("Practitioner (คุณกิจ)")
    NOTE_TAKER = "note_taker", _("Note-taker (คุณลิขิต)")
    IT_STEWARD = "it_steward", _("IT steward (คุณวิศาสตร์)")


# Members with one of these roles administer their organisation.
ADMIN_ROLES = frozenset({Role.CEO, Role.CKO, Role.KM_LEAD, Role.SECRETARY})


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def for_user(self, user: Any) -> OrganisationQuerySet:
        from platu.orgs.access import visible_q

        return self.filter(visible_q(user))

    def descendants_of(self, org: Organisation, *, include_self: bool = False) -> OrganisationQuerySet:
        qs = self.filter(path__startswith=org.path)
        return qs if include_self else qs.exclude(pk=org.pk)


class KnowledgeVisibility(models.TextChoices):
    """Who may read a published knowledge item: the values of knowledge's ``Item.Visibility``
    (declared here too, since orgs does not import knowledge)."""

    PRIVATE = "private", _("Private: authors only")
    ORGANISATION = "organisation", _("Organisation: members and supervising offices")
    NETWORK = "network", _("Network: parent and sibling organisations")
    PUBLIC = "public", _("Public: anyone, without logging in")


class Organisation(models.Model):
    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Ministry")
        DEPARTMENT = "department", _("Department")
        REGIONAL_OFFICE = "regional_office", _("Regional office")
        PROVINCE = "province", _("Province")
        DISTRICT_EDUCATION_OFFICE = "district_education_office", _("District education office")
        SCHOOL = "school", _("School")
        SAO = "sao", _("Subdistrict administrative organisation")
        MUNICIPALITY = "municipality", _("Municipality")
        DIVISION = "division", _("Division")
        OTHER = "other", _("Other")

    code = models.SlugField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("Short code used in addresses and exports, e.g. snk-po."),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, default=Kind.OTHER)
    name_th = models.CharField(_("name (Thai)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path of primary keys ("1/5/12/"): descendants by prefix.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    thai_digits = models.BooleanField(
        _("use Thai digits"),
        default=False,
        help_text=_("Show numbers and dates with Thai digits (๑๒๓) on screens and documents."),
    )
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    default_visibility = models.CharField(
        _("who may read new knowledge"),
        max_length=12,
        choices=KnowledgeVisibility.choices,
        default=KnowledgeVisibility.ORGANISATION,
        help_text=_(
            "New knowledge items start with this; their authors may change it. Schools of one "
            "district often share with their network."
        ),
    )
    review_quorum = models.PositiveSmallIntegerField(
        _("approvals needed to publish knowledge"),
        null=True,
        blank=True,
        help_text=_("Leave empty for a majority of the brain bank committee."),
    )
    name_sort = models.CharField(max_length=1024, editable=False, default="", db_index=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name_sort"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_sort = thai_sort_key(self.name_th)[:1024]
        super().save(*args, **kwargs)
        path = (self.parent.path if self.parent_id and self.parent else "") + f"{self.pk}/"
        if path != self.path:
            old = self.path
            self.path = path
            Organisation.objects.filter(pk=self.pk).update(path=path)
            if old:  # moved: rewrite the subtree's paths
                for child in Organisation.objects.filter(path__startswith=old).exclude(pk=self.pk):
                    child.path = path + child.path[len(old) :]
                    Organisation.objects.filter(pk=child.pk).update(path=child.path)

    @property
    def network_path(self) -> str:
        """The path of the organisation's network: its parent's subtree (its own when it has none).
        What is shared "with the network" is stored with this path."""
        return self.parent.path if self.parent_id and self.parent else self.path

    @property
    def name(self) -> str:
        if get_language() == "en" and self.name_en:
            return self.name_en
        return self.name_th

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part][:-1]


class PersonQuerySet(models.QuerySet["Person"]):
    def for_user(self, user: Any) -> PersonQuerySet:
        """People the user may see: members of the organisations the user sees."""
        if getattr(user, "is_staff", False) and user.is_active:
            return self.all()
        from platu.orgs.access import visible_q

        own = models.Q(user=user) if user.is_authenticated else models.Q(pk__in=[])
        visible = Membership.objects.filter(visible_q(user, "organisation__path")).values("person_id")
        return self.filter(models.Q(pk__in=visible) | own)


class Person(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    title = models.CharField(_("title"), max_length=60, blank=True, help_text=_("e.g. นาย, นาง, นางสาว, ดร."))
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    position = models.CharField(_("position"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    expertise = models.TextField(
        _("expertise"),
        blank=True,
        help_text=_("What this person knows about, as keywords separated by commas."),
    )
    sort_key = models.CharField(max_length=2048, editable=False, default="", db_index=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["sort_key", "pk"]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.sort_key = name_sort_key(self.first_name, self.last_name)[:2048]
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        """Thai style: the title is written against the first name."""
        return f"{self.title}{self.first_name} {self.last_name}".strip()

    @property
    def expertise_list(self) -> list[str]:
        parts = self.expertise.replace("\n", ",").split(",")
        return [part.strip() for part in parts if part.strip()]


class Membership(models.Model):
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["person", "organisation"], name="unique_membership")]

    def __str__(self) -> str:
        return f"{self.person} – {self.organisation}"

    # Roles are prefetched as ``role_rows``; these read the prefetched rows.
    @property
    def roles(self) -> list[str]:
        return [r.role for r in self.role_rows.all() if r.role in Role.values]

    @property
    def km_roles(self) -> list[str]:
        return [r.role for r in self.role_rows.all() if r.role in KMRole.values]

    @property
    def role_labels(self) -> list[str]:
        return [str(Role(r).label) for r in sorted(self.roles, key=Role.values.index)]

    @property
    def km_role_labels(self) -> list[str]:
        return [str(KMRole(r).label) for r in sorted(self.km_roles, key=KMRole.values.index)]

    @property
    def is_admin(self) -> bool:
        return any(r in ADMIN_ROLES for r in self.roles)


class MembershipRole(models.Model):
    """One role (an organisation role or a KM role) held through a membership."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="role_rows")
    role = models.CharField(max_length=32, choices=Role.choices + KMRole.choices)

    class Meta:
        verbose_name = _("member role")
        verbose_name_plural = _("member roles")
        constraints = [models.UniqueConstraint(fields=["membership", "role"], name="unique_membership_role")]
        indexes = [models.Index(fields=["role", "membership"])]

    def __str__(self) -> str:
        return self.role


class Team(models.Model):
    """A KM team or committee of an organisation (worksheets 5 and 6)."""

    class Kind(models.TextChoices):
        KM_TEAM = "km_team", _("Organisation KM team")
        STRATEGIC = "strategic", _("KM team for a strategic issue")
        AGENCY = "agency", _("Agency KM team")
        BRAIN_BANK = "brain_bank", _("Brain bank (คลังสมอง)")
        MONITORING = "monitoring", _("Monitoring and evaluation committee")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="teams"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    # Until the planning module links a StrategicIssue, the issue and goal are text.
    strategic_issue = models.CharField(_("strategic issue"), max_length=500, blank=True)
    goal = models.CharField(pgettext_lazy("strategic goal", "goal"), max_length=500, blank=True)
    needed_knowledge = models.CharField(_("needed knowledge"), max_length=500, blank=True)
    order = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class TeamRole(models.TextChoices):
    """The role a person plays in a team or committee, in printing order."""

    ADVISOR = "advisor", _("Advisor")
    CEO = "ceo", _("CEO")
    CKO = "cko", _("CKO")
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice chair")
    LEAD = "lead", _("Team lead")
    DEPUTY = "deputy", _("Deputy lead")
    MEMBER = "member", _("Member")
    SECRETARY = "secretary", _("Secretary")
    ASSISTANT_SECRETARY = "assistant_secretary", _("Assistant secretary")


TEAM_ROLE_ORDER = {value: index for index, value in enumerate(TeamRole.values)}


class TeamMember(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="team_memberships"
    )
    role = models.CharField(
        _("role in the team"), max_length=32, choices=TeamRole.choices, default=TeamRole.MEMBER
    )
    role_rank = models.PositiveSmallIntegerField(default=0, editable=False)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["role_rank", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["team", "person"], name="unique_team_member")]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.role_rank = TEAM_ROLE_ORDER.get(self.role, 99)
        super().save(*args, **kwargs)
