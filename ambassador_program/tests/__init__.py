from . import test_install
from . import test_backend_views
from . import test_event_benefits
from . import test_shop_benefits
from . import test_mailing_benefits
from . import test_website
from . import test_proof_email
