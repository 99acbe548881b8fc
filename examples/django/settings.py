SECRET_KEY = "example"
INSTALLED_APPS = ["blog"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
