from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "platu.knowledge"
    label = "knowledge"
    verbose_name = _("Knowledge repository")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from platu.knowledge.models import Attachment
        from platu.knowledge.tasks import attachment_saved

        post_save.connect(attachment_saved, sender=Attachment, dispatch_uid="knowledge_attachment_text")
