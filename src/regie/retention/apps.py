from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "regie.retention"
    label = "retention"
    verbose_name = "Bewaartermijnen en vernietiging"
