"""User accounts (login by e-mail) and personal API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone

from coparcours.core.models import TimeStamped
from coparcours.core.phones import validate_phone


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> User:
        if not email:
            raise ValueError("Une adresse électronique est nécessaire.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> User:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("adresse électronique", unique=True)
    first_name = models.CharField("prénom", max_length=150, blank=True)
    last_name = models.CharField("nom", max_length=150, blank=True)
    work_phone = models.CharField(
        "téléphone professionnel",
        max_length=30,
        blank=True,
        validators=[validate_phone],
        help_text="Montré dans l'espace des jeunes que vous accompagnez, pour qu'ils vous "
        "joignent. Laissez vide pour qu'ils appellent l'accueil de votre organisation.",
    )
    is_staff = models.BooleanField(
        "accès à l'administration",
        default=False,
        help_text="Peut se connecter à l'administration de Coparcours.",
    )
    is_active = models.BooleanField("actif", default=True)
    date_joined = models.DateTimeField("inscrit le", default=timezone.now)
    #: The sign-in before the current one: what partners did since is "new" on the home page.
    previous_login = models.DateTimeField(
        "connexion précédente", null=True, blank=True, editable=False
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = "utilisateur"
        ordering = ["last_name", "first_name", "email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)


TOKEN_PREFIX_LENGTH = 8


def hash_token(raw: str) -> str:
    """Tokens are random (256 bits), so a fast keyed hash is enough to store them."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{raw}".encode()).hexdigest()


class APITokenQuerySet(models.QuerySet):
    def usable(self) -> APITokenQuerySet:
        now = timezone.now()
        return self.filter(revoked_at__isnull=True, user__is_active=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class APIToken(TimeStamped):
    """A personal token for the REST API, shown once at creation and stored hashed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="utilisateur",
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField("nom", max_length=100)
    prefix = models.CharField("début du jeton", max_length=TOKEN_PREFIX_LENGTH, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField("expire le", null=True, blank=True)
    last_used_at = models.DateTimeField("dernière utilisation", null=True, blank=True)
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)

    objects = APITokenQuerySet.as_manager()

    class Meta:
        verbose_name = "jeton d'API"
        verbose_name_plural = "jetons d'API"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, user: User, name: str, expires_at=None) -> tuple[APIToken, str]:
        """Create a token; the clear value is returned once and never stored."""
        raw = secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name,
            prefix=raw[:TOKEN_PREFIX_LENGTH],
            key_hash=hash_token(raw),
            expires_at=expires_at,
        )
        return token, raw

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and (
            self.expires_at is None or self.expires_at > timezone.now()
        )
